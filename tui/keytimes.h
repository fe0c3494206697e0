/* Per-key timings for the bench: with CRMTUI_KEYTIMES=FILE, each key's time
 * from read to the doupdate that flushed its frame, one line per key. */
#ifndef TUI_KEYTIMES_H
#define TUI_KEYTIMES_H

#include <stdbool.h>

/* Opens the file named by CRMTUI_KEYTIMES (truncated); nothing when unset or
 * when it cannot be opened (then every other call does nothing). */
void keytimes_open(void);
/* A key was read: its time is taken now, its line written at the next frame. */
void keytimes_key(int key);
/* A frame was flushed (call right after doupdate). rows: the contact list
 * shows rows; the first such frame writes "first-rows SEC.NSEC CPU_US" (wall
 * clock, to compare with the time of exec, and the process's CPU time). Then
 * "key NAME WALL_US CPU_US" for each key read since the previous frame: the
 * elapsed and the process CPU microseconds from its read to this flush. */
void keytimes_frame(bool rows);
/* Writes "connections N" and closes the file. */
void keytimes_close(long connections);

#endif
