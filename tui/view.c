/* The table of screens. */
#include "tui/view.h"

static const struct view_ops *const views[VIEW_COUNT] = {
#define VIEW_TABLE(id, ops) [id] = &ops,
    VIEW_LIST(VIEW_TABLE)
#undef VIEW_TABLE
};

const struct view_ops *view_get(enum view_id id)
{
    return (unsigned)id < VIEW_COUNT ? views[id] : views[VIEW_START];
}
