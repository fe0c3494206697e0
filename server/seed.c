/* `crm-server init`: the account, its users and settings, and the synthetic
 * demo data (contacts in many languages, companies, timelines, calls, chats). */
#include "server/seed.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "server/db.h"
#include "server/erase.h"
#include "server/search.h"
#include "server/sha256.h"

#define N_OF(a)          (sizeof(a) / sizeof((a)[0]))
#define SEED_KEY_BYTES   32
#define SEED_DAY         86400
#define SEED_PRNG_SEED   0x6372ed5eedULL /* the demo data depends on this and n only */
#define SEED_TEXT_MAX    512
#define SEED_JSON_MAX    768
#define SEED_REC_MAX     2048
#define SEED_CACHE_KIB   65536 /* page cache while seeding; the default is 2 MiB */
#define SEED_MAX_CONTACT 10000000L

/* ---- random bytes and the deterministic generator ---- */

static int seed_random_bytes(void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t got = getrandom(p, len, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += got;
        len -= (size_t)got;
    }
    return 0;
}

/* splitmix64: small, fast and the same on every platform. */
struct prng {
    uint64_t s;
};

static uint64_t prng_next(struct prng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. The modulo bias is irrelevant for demo data. */
static unsigned prng_below(struct prng *r, unsigned n)
{
    return (unsigned)(prng_next(r) % n);
}

/* True with probability pct percent. */
static int prng_pct(struct prng *r, unsigned pct)
{
    return prng_below(r, 100) < pct;
}

static int64_t prng_range(struct prng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)(prng_next(r) % (uint64_t)(hi - lo + 1));
}

/* ---- the data the generator draws from ---- */

struct name {
    const char *text;  /* as written, UTF-8 */
    const char *ascii; /* for email local parts and handles */
};

struct lang {
    const char *country;
    const char *dial;   /* "+351" */
    const char *mobile; /* pattern, '#' is a digit */
    const char *tz;
    const char *zip; /* pattern, or NULL */
    const char *legal;
    const struct name *first;
    size_t n_first;
    const struct name *last;
    size_t n_last;
    const char *const *cities;
    size_t n_cities;
    const char *const *streets;
    size_t n_streets;
    const struct name *stems; /* company name stems */
    size_t n_stems;
};

static const struct name pt_first[] = {
    {"João", "joao"},       {"Maria", "maria"}, {"Inês", "ines"},       {"Gonçalo", "goncalo"},
    {"Beatriz", "beatriz"}, {"Tiago", "tiago"}, {"Mariana", "mariana"}, {"Rui", "rui"},
    {"Leonor", "leonor"},   {"Luís", "luis"},
};
static const struct name pt_last[] = {
    {"Silva", "silva"},         {"Santos", "santos"},       {"Ferreira", "ferreira"},
    {"Pereira", "pereira"},     {"Oliveira", "oliveira"},   {"Costa", "costa"},
    {"Rodrigues", "rodrigues"}, {"Martins", "martins"},     {"Gonçalves", "goncalves"},
    {"Sousa", "sousa"},         {"Conceição", "conceicao"}, {"Simões", "simoes"},
    {"Araújo", "araujo"},       {"Carvalho", "carvalho"},
};
static const char *const pt_cities[] = {"Lisboa", "Porto", "Braga", "Coimbra", "Faro", "Évora"};
static const char *const pt_streets[] = {"Rua Augusta", "Avenida da Liberdade",
                                         "Rua de Santa Catarina", "Praça do Comércio"};
static const struct name pt_stems[] = {
    {"Atlântico", "atlantico"}, {"Lusitânia", "lusitania"}, {"Tejo", "tejo"}};

static const struct name br_first[] = {
    {"Luana", "luana"},     {"Thiago", "thiago"},   {"Gabriela", "gabriela"},
    {"Caio", "caio"},       {"Letícia", "leticia"}, {"Vinícius", "vinicius"},
    {"Larissa", "larissa"}, {"Mateus", "mateus"},
};
static const char *const br_cities[] = {"São Paulo", "Rio de Janeiro", "Belo Horizonte",
                                        "Curitiba",  "Salvador",       "Recife"};
static const char *const br_streets[] = {"Avenida Paulista", "Rua Oscar Freire",
                                         "Avenida Atlântica", "Rua da Consolação"};
static const struct name br_stems[] = {
    {"Ipê", "ipe"}, {"Paulista", "paulista"}, {"Cerrado", "cerrado"}};

static const struct name es_first[] = {
    {"José", "jose"},           {"Lucía", "lucia"}, {"Álvaro", "alvaro"}, {"Carmen", "carmen"},
    {"Javier", "javier"},       {"Sofía", "sofia"}, {"Martín", "martin"}, {"Núria", "nuria"},
    {"Alejandro", "alejandro"}, {"Paula", "paula"},
};
static const struct name es_last[] = {
    {"García", "garcia"},     {"Fernández", "fernandez"}, {"López", "lopez"},
    {"Martínez", "martinez"}, {"Sánchez", "sanchez"},     {"Pérez", "perez"},
    {"Gómez", "gomez"},       {"Muñoz", "munoz"},         {"Jiménez", "jimenez"},
    {"Ruiz", "ruiz"},         {"Ibáñez", "ibanez"},
};
static const char *const es_cities[] = {"Madrid",   "Barcelona", "Sevilla",
                                        "València", "Málaga",    "Zaragoza"};
static const char *const es_streets[] = {"Calle Mayor", "Gran Vía", "Paseo de la Castellana",
                                         "Calle de Alcalá"};
static const struct name es_stems[] = {
    {"Ibérica", "iberica"}, {"Sol y Mar", "solymar"}, {"Meseta", "meseta"}};

static const struct name mx_first[] = {
    {"Guadalupe", "guadalupe"}, {"Jesús", "jesus"},       {"Ximena", "ximena"},
    {"Diego", "diego"},         {"Fernanda", "fernanda"}, {"Andrés", "andres"},
};
static const char *const mx_cities[] = {"Ciudad de México", "Guadalajara", "Monterrey",
                                        "Puebla",           "Mérida",      "Querétaro"};
static const char *const mx_streets[] = {"Paseo de la Reforma", "Avenida Insurgentes",
                                         "Calle Madero", "Avenida Chapultepec"};
static const struct name mx_stems[] = {
    {"Azteca", "azteca"}, {"Maíz Dorado", "maizdorado"}, {"Sierra Madre", "sierramadre"}};

static const struct name de_first[] = {
    {"Jürgen", "juergen"},        {"Anna", "anna"},    {"Lukas", "lukas"}, {"Sophie", "sophie"},
    {"Maximilian", "maximilian"}, {"Käthe", "kaethe"}, {"Jörg", "joerg"},  {"Lena", "lena"},
    {"Felix", "felix"},           {"Mia", "mia"},
};
static const struct name de_last[] = {
    {"Müller", "mueller"},  {"Schmidt", "schmidt"},   {"Schneider", "schneider"},
    {"Fischer", "fischer"}, {"Weiß", "weiss"},        {"Becker", "becker"},
    {"Köhler", "koehler"},  {"Hoffmann", "hoffmann"}, {"Schäfer", "schaefer"},
    {"Krüger", "krueger"},
};
static const char *const de_cities[] = {"Berlin", "München",           "Hamburg",
                                        "Köln",   "Frankfurt am Main", "Düsseldorf"};
static const char *const de_streets[] = {"Hauptstraße", "Bahnhofstraße", "Schillerstraße",
                                         "Goethestraße"};
static const struct name de_stems[] = {
    {"Nordlicht", "nordlicht"}, {"Schwarzwald", "schwarzwald"}, {"Elbe", "elbe"}};

static const struct name fr_first[] = {
    {"Hélène", "helene"}, {"François", "francois"}, {"Chloé", "chloe"},   {"Zoé", "zoe"},
    {"Théo", "theo"},     {"Amélie", "amelie"},     {"Benoît", "benoit"}, {"Margaux", "margaux"},
};
static const struct name fr_last[] = {
    {"Dubois", "dubois"},     {"Lefèvre", "lefevre"},   {"Moreau", "moreau"}, {"Girard", "girard"},
    {"Lemaître", "lemaitre"}, {"Fournier", "fournier"}, {"Bonnet", "bonnet"}, {"Faure", "faure"},
};
static const char *const fr_cities[] = {"Paris",    "Lyon",   "Marseille",
                                        "Toulouse", "Nantes", "Bordeaux"};
static const char *const fr_streets[] = {"Rue de Rivoli", "Boulevard Haussmann",
                                         "Avenue Jean Jaurès", "Rue de la République"};
static const struct name fr_stems[] = {
    {"Lumière", "lumiere"}, {"Étoile", "etoile"}, {"Provence", "provence"}};

static const struct name pl_first[] = {
    {"Łukasz", "lukasz"},         {"Zofia", "zofia"}, {"Krzysztof", "krzysztof"},
    {"Małgorzata", "malgorzata"}, {"Paweł", "pawel"}, {"Agnieszka", "agnieszka"},
    {"Wojciech", "wojciech"},     {"Ewa", "ewa"},     {"Jakub", "jakub"},
    {"Katarzyna", "katarzyna"},
};
static const struct name pl_last[] = {
    {"Nowak", "nowak"},         {"Kowalski", "kowalski"},       {"Wiśniewski", "wisniewski"},
    {"Wójcik", "wojcik"},       {"Kamiński", "kaminski"},       {"Lewandowski", "lewandowski"},
    {"Zieliński", "zielinski"}, {"Szymańska", "szymanska"},     {"Woźniak", "wozniak"},
    {"Dąbrowski", "dabrowski"}, {"Grzegorczyk", "grzegorczyk"},
};
static const char *const pl_cities[] = {"Warszawa", "Kraków", "Łódź",
                                        "Wrocław",  "Poznań", "Gdańsk"};
static const char *const pl_streets[] = {"ul. Długa", "ul. Marszałkowska", "ul. Floriańska",
                                         "ul. Piotrkowska"};
static const struct name pl_stems[] = {
    {"Wisła", "wisla"}, {"Bałtyk", "baltyk"}, {"Tatry", "tatry"}};

static const struct name tr_first[] = {
    {"Mehmet", "mehmet"}, {"Ayşe", "ayse"},     {"Mustafa", "mustafa"}, {"Fatma", "fatma"},
    {"Emre", "emre"},     {"Zeynep", "zeynep"}, {"Çağlar", "caglar"},   {"Gülşen", "gulsen"},
    {"Burak", "burak"},   {"Elif", "elif"},     {"İsmail", "ismail"},
};
static const struct name tr_last[] = {
    {"Yılmaz", "yilmaz"}, {"Kaya", "kaya"},     {"Demir", "demir"},   {"Şahin", "sahin"},
    {"Çelik", "celik"},   {"Yıldız", "yildiz"}, {"Öztürk", "ozturk"}, {"Aydın", "aydin"},
    {"Arslan", "arslan"}, {"Doğan", "dogan"},
};
static const char *const tr_cities[] = {"İstanbul", "Ankara",  "İzmir",
                                        "Bursa",    "Antalya", "Eskişehir"};
static const char *const tr_streets[] = {"İstiklal Caddesi", "Bağdat Caddesi", "Atatürk Bulvarı",
                                         "Cumhuriyet Caddesi"};
static const struct name tr_stems[] = {
    {"Anadolu", "anadolu"}, {"Boğaziçi", "bogazici"}, {"Ege", "ege"}};

static const struct name vi_first[] = {
    {"Minh", "minh"},        {"Hương", "huong"},    {"Tuấn", "tuan"}, {"Lan", "lan"},
    {"Dũng", "dung"},        {"Phương", "phuong"},  {"Quốc", "quoc"}, {"Thảo", "thao"},
    {"Thị Hồng", "thihong"}, {"Văn Đức", "vanduc"},
};
static const struct name vi_last[] = {
    {"Nguyễn", "nguyen"}, {"Trần", "tran"}, {"Lê", "le"}, {"Phạm", "pham"}, {"Hoàng", "hoang"},
    {"Huỳnh", "huynh"},   {"Phan", "phan"}, {"Vũ", "vu"}, {"Võ", "vo"},     {"Đặng", "dang"},
};
static const char *const vi_cities[] = {
    "Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Huế", "Cần Thơ"};
static const char *const vi_streets[] = {"Đường Lê Lợi", "Phố Huế", "Đường Nguyễn Huệ",
                                         "Phố Tràng Tiền"};
static const struct name vi_stems[] = {
    {"Sông Hồng", "songhong"}, {"Mê Kông", "mekong"}, {"Hạ Long", "halong"}};

static const struct name el_first[] = {
    {"Γιώργος", "giorgos"},   {"Μαρία", "maria"}, {"Δημήτρης", "dimitris"},
    {"Ελένη", "eleni"},       {"Νίκος", "nikos"}, {"Αικατερίνη", "aikaterini"},
    {"Κώστας", "kostas"},     {"Σοφία", "sofia"}, {"Ιωάννης", "ioannis"},
    {"Δέσποινα", "despoina"},
};
static const struct name el_last[] = {
    {"Παπαδόπουλος", "papadopoulos"}, {"Ιωάννου", "ioannou"},           {"Γεωργίου", "georgiou"},
    {"Νικολάου", "nikolaou"},         {"Κωνσταντίνου", "konstantinou"}, {"Παππάς", "pappas"},
    {"Οικονόμου", "oikonomou"},       {"Βασιλείου", "vasileiou"},       {"Μακρής", "makris"},
    {"Αθανασίου", "athanasiou"},
};
static const char *const el_cities[] = {"Αθήνα",    "Θεσσαλονίκη", "Πάτρα",
                                        "Ηράκλειο", "Λάρισα",      "Βόλος"};
static const char *const el_streets[] = {"Οδός Ερμού", "Λεωφόρος Συγγρού", "Οδός Τσιμισκή",
                                         "Λεωφόρος Κηφισίας"};
static const struct name el_stems[] = {
    {"Αιγαίο", "aigaio"}, {"Όλυμπος", "olympos"}, {"Ιόνιο", "ionio"}};

static const struct name ru_first[] = {
    {"Дмитрий", "dmitry"}, {"Анна", "anna"},       {"Сергей", "sergey"}, {"Ольга", "olga"},
    {"Алексей", "alexey"}, {"Наталья", "natalya"}, {"Иван", "ivan"},     {"Екатерина", "ekaterina"},
    {"Михаил", "mikhail"}, {"Татьяна", "tatyana"},
};
static const struct name ru_last[] = {
    {"Смирнов", "smirnov"},   {"Кузнецова", "kuznetsova"}, {"Попов", "popov"},
    {"Соколова", "sokolova"}, {"Лебедев", "lebedev"},      {"Новикова", "novikova"},
    {"Морозов", "morozov"},   {"Волкова", "volkova"},      {"Васильев", "vasiliev"},
    {"Фёдоров", "fedorov"},
};
static const char *const ru_cities[] = {"Москва",       "Санкт-Петербург", "Новосибирск",
                                        "Екатеринбург", "Казань",          "Нижний Новгород"};
static const char *const ru_streets[] = {"ул. Тверская", "Невский проспект", "ул. Арбат",
                                         "ул. Ленина"};
static const struct name ru_stems[] = {{"Волга", "volga"}, {"Байкал", "baikal"}, {"Урал", "ural"}};

static const struct name ar_first[] = {
    {"Mohammed", "mohammed"}, {"Fatima", "fatima"}, {"Ahmed", "ahmed"},     {"Aisha", "aisha"},
    {"Omar", "omar"},         {"Layla", "layla"},   {"Youssef", "youssef"}, {"Nour", "nour"},
    {"Khalid", "khalid"},     {"Mariam", "mariam"},
};
static const struct name ar_last[] = {
    {"Al-Sayed", "alsayed"}, {"Haddad", "haddad"},  {"Khalil", "khalil"}, {"Mansour", "mansour"},
    {"Nasser", "nasser"},    {"El-Amin", "elamin"}, {"Farouk", "farouk"}, {"Hassan", "hassan"},
    {"Al-Masri", "almasri"}, {"Benali", "benali"},
};
static const char *const ar_cities[] = {"Dubai",  "Abu Dhabi", "Sharjah",
                                        "Al Ain", "Ajman",     "Ras Al Khaimah"};
static const char *const ar_streets[] = {"Sheikh Zayed Road", "Al Wasl Road", "Jumeirah Beach Road",
                                         "Corniche Road"};
static const struct name ar_stems[] = {
    {"Al Noor", "alnoor"}, {"Oasis", "oasis"}, {"Falcon", "falcon"}};

static const struct name ja_first[] = {
    {"陽翔", "haruto"},   {"結衣", "yui"},     {"蓮", "ren"},      {"葵", "aoi"}, {"翔太", "shota"},
    {"さくら", "sakura"}, {"大輔", "daisuke"}, {"美咲", "misaki"}, {"健", "ken"}, {"愛子", "aiko"},
};
static const struct name ja_last[] = {
    {"佐藤", "sato"},      {"鈴木", "suzuki"}, {"高橋", "takahashi"}, {"田中", "tanaka"},
    {"渡辺", "watanabe"},  {"伊藤", "ito"},    {"山本", "yamamoto"},  {"中村", "nakamura"},
    {"小林", "kobayashi"}, {"加藤", "kato"},
};
static const char *const ja_cities[] = {"東京", "大阪", "横浜", "名古屋", "札幌", "福岡"};
static const char *const ja_streets[] = {"中央通り", "表参道", "御堂筋", "大通"};
static const struct name ja_stems[] = {{"さくら", "sakura"}, {"富士", "fuji"}, {"瀬戸", "seto"}};

static const struct name zh_first[] = {
    {"伟", "wei"},  {"芳", "fang"}, {"娜", "na"},   {"秀英", "xiuying"}, {"敏", "min"},
    {"静", "jing"}, {"磊", "lei"},  {"洋", "yang"}, {"婷", "ting"},      {"志强", "zhiqiang"},
};
static const struct name zh_last[] = {
    {"王", "wang"}, {"李", "li"},    {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"},
    {"杨", "yang"}, {"黄", "huang"}, {"赵", "zhao"},  {"吴", "wu"},  {"欧阳", "ouyang"},
};
static const char *const zh_cities[] = {"北京", "上海", "广州", "深圳", "成都", "杭州"};
static const char *const zh_streets[] = {"南京路", "长安街", "淮海路", "王府井大街"};
static const struct name zh_stems[] = {
    {"长城", "changcheng"}, {"东方", "dongfang"}, {"华夏", "huaxia"}};

static const struct name ko_first[] = {
    {"민준", "minjun"}, {"서연", "seoyeon"}, {"지호", "jiho"},  {"하은", "haeun"},
    {"도윤", "doyun"},  {"수아", "sua"},     {"예준", "yejun"}, {"지우", "jiwoo"},
    {"시우", "siwoo"},  {"하윤", "hayoon"},
};
static const struct name ko_last[] = {
    {"김", "kim"},  {"이", "lee"}, {"박", "park"}, {"최", "choi"}, {"정", "jung"},
    {"강", "kang"}, {"조", "cho"}, {"윤", "yoon"}, {"장", "jang"}, {"남궁", "namgung"},
};
static const char *const ko_cities[] = {"서울", "부산", "인천", "대구", "대전", "광주"};
static const char *const ko_streets[] = {"테헤란로", "세종대로", "강남대로", "을지로"};
static const struct name ko_stems[] = {
    {"한강", "hangang"}, {"태백", "taebaek"}, {"무궁화", "mugunghwa"}};

static const struct name hi_first[] = {
    {"आरव", "aarav"},   {"अनन्या", "ananya"}, {"विवान", "vivaan"}, {"दिया", "diya"},
    {"अर्जुन", "arjun"},  {"प्रिया", "priya"},  {"रोहन", "rohan"},   {"सान्वी", "saanvi"},
    {"इशान", "ishaan"}, {"कविता", "kavita"},
};
static const struct name hi_last[] = {
    {"शर्मा", "sharma"}, {"वर्मा", "verma"}, {"गुप्ता", "gupta"},     {"सिंह", "singh"},
    {"पटेल", "patel"},   {"कुमार", "kumar"}, {"अग्रवाल", "agarwal"}, {"जोशी", "joshi"},
    {"मेहता", "mehta"},  {"रेड्डी", "reddy"},
};
static const char *const hi_cities[] = {"Mumbai",    "Delhi", "Bengaluru",
                                        "Hyderabad", "Pune",  "Chennai"};
static const char *const hi_streets[] = {"MG Road", "Linking Road", "Park Street", "Brigade Road"};
static const struct name hi_stems[] = {
    {"Ganga", "ganga"}, {"Himalaya", "himalaya"}, {"Kaveri", "kaveri"}};

static const struct name en_first[] = {
    {"Emma", "emma"},   {"Oliver", "oliver"}, {"Amelia", "amelia"},   {"Harry", "harry"},
    {"Isla", "isla"},   {"George", "george"}, {"Siobhán", "siobhan"}, {"Rhys", "rhys"},
    {"Niamh", "niamh"}, {"Callum", "callum"},
};
static const struct name en_last[] = {
    {"Smith", "smith"},    {"Jones", "jones"},       {"Taylor", "taylor"}, {"Brown", "brown"},
    {"O'Brien", "obrien"}, {"Williams", "williams"}, {"Evans", "evans"},   {"MacLeod", "macleod"},
    {"Wright", "wright"},  {"Thompson", "thompson"},
};
static const char *const en_cities[] = {"London",  "Manchester", "Edinburgh",
                                        "Cardiff", "Bristol",    "Leeds"};
static const char *const en_streets[] = {"High Street", "Station Road", "Church Lane",
                                         "Victoria Road"};
static const struct name en_stems[] = {
    {"Thistle", "thistle"}, {"Riverside", "riverside"}, {"Kestrel", "kestrel"}};

#define LANG(c, d, m, t, z, l, fi, la, ci, st, sm)                                                 \
    {                                                                                              \
        c, d, m, t, z, l, fi, N_OF(fi), la, N_OF(la), ci, N_OF(ci), st, N_OF(st), sm, N_OF(sm)     \
    }

/* Phone patterns use ranges reserved or typical for mobiles; the numbers are made up. */
static const struct lang langs[] = {
    LANG("Portugal", "+351", "9## ### ###", "Europe/Lisbon", "####-###", "Lda", pt_first, pt_last,
         pt_cities, pt_streets, pt_stems),
    LANG("Brazil", "+55", "11 9####-####", "America/Sao_Paulo", "#####-###", "Ltda", br_first,
         pt_last, br_cities, br_streets, br_stems),
    LANG("Spain", "+34", "6## ## ## ##", "Europe/Madrid", "#####", "S.L.", es_first, es_last,
         es_cities, es_streets, es_stems),
    LANG("Mexico", "+52", "55 #### ####", "America/Mexico_City", "#####", "S.A. de C.V.", mx_first,
         es_last, mx_cities, mx_streets, mx_stems),
    LANG("Germany", "+49", "15# ########", "Europe/Berlin", "#####", "GmbH", de_first, de_last,
         de_cities, de_streets, de_stems),
    LANG("France", "+33", "6 ## ## ## ##", "Europe/Paris", "#####", "SAS", fr_first, fr_last,
         fr_cities, fr_streets, fr_stems),
    LANG("Poland", "+48", "5## ### ###", "Europe/Warsaw", "##-###", "Sp. z o.o.", pl_first, pl_last,
         pl_cities, pl_streets, pl_stems),
    LANG("Turkey", "+90", "5## ### ## ##", "Europe/Istanbul", "#####", "A.Ş.", tr_first, tr_last,
         tr_cities, tr_streets, tr_stems),
    LANG("Vietnam", "+84", "9# ### ## ##", "Asia/Ho_Chi_Minh", "######", "JSC", vi_first, vi_last,
         vi_cities, vi_streets, vi_stems),
    LANG("Greece", "+30", "69# ### ####", "Europe/Athens", "### ##", "Α.Ε.", el_first, el_last,
         el_cities, el_streets, el_stems),
    LANG("Russia", "+7", "9## ###-##-##", "Europe/Moscow", "######", "ООО", ru_first, ru_last,
         ru_cities, ru_streets, ru_stems),
    LANG("United Arab Emirates", "+971", "5# ### ####", "Asia/Dubai", NULL, "LLC", ar_first,
         ar_last, ar_cities, ar_streets, ar_stems),
    LANG("Japan", "+81", "90-####-####", "Asia/Tokyo", "###-####", "株式会社", ja_first, ja_last,
         ja_cities, ja_streets, ja_stems),
    LANG("China", "+86", "13# #### ####", "Asia/Shanghai", "######", "有限公司", zh_first, zh_last,
         zh_cities, zh_streets, zh_stems),
    LANG("South Korea", "+82", "10-####-####", "Asia/Seoul", "#####", "주식회사", ko_first, ko_last,
         ko_cities, ko_streets, ko_stems),
    LANG("India", "+91", "9#### #####", "Asia/Kolkata", "######", "Pvt Ltd", hi_first, hi_last,
         hi_cities, hi_streets, hi_stems),
    LANG("United Kingdom", "+44", "7### ######", "Europe/London", NULL, "Ltd", en_first, en_last,
         en_cities, en_streets, en_stems),
};

static const char *const industries[] = {
    "Logistics", "Software", "Foods",  "Textiles",  "Energy",   "Consulting", "Media",  "Robotics",
    "Pharma",    "Design",   "Travel", "Analytics", "Ceramics", "Finance",    "Motors", "Health",
};
static const char *const products[] = {
    "Annual licence", "Onboarding package", "Support renewal",    "Enterprise upgrade",
    "Pilot project",  "Hardware bundle",    "Training programme", "Data migration"};
static const char *const job_titles[] = {
    "Account Executive",
    "Sales Manager",
    "Head of Marketing",
    "Software Engineer",
    "CTO",
    "CEO",
    "Procurement Lead",
    "Operations Manager",
    "Customer Success Manager",
    "Data Analyst",
    "Product Manager",
    "Office Manager",
    "Finance Director",
    "HR Business Partner",
    "Marketing Specialist",
    "Buyer",
    "Logistics Coordinator",
    "Legal Counsel",
    "Founder",
    "Consultant",
};
static const char *const departments[] = {
    "Sales",      "Marketing", "Engineering", "Finance",   "Operations", "Customer Success",
    "Purchasing", "Legal",     "People",      "Management"};
static const char *const free_domains[] = {"example.com", "example.org", "example.net",
                                           "mail.example.com", "post.example.org"};
static const char *const segments[] = {"SMB", "Mid-market", "Enterprise", "Public sector"};
static const char *const tag_sets[] = {"[\"vip\"]", "[\"trade-fair-2025\"]", "[\"partner\"]",
                                       "[\"reseller\",\"emea\"]", "[\"beta-tester\"]"};
static const char *const unsub_reasons[] = {"Too many emails", "No longer relevant",
                                            "I never signed up", "Other"};
static const char *const email_subjects[] = {
    "Your quote",       "Following up on our call", "Meeting next week", "Welcome aboard",
    "Invoice question", "Product demo recording",   "Renewal reminder"};
/* Each note names the contact: text before the first name, and after it. */
static const char *const note_templates[][2] = {
    {"Met ", " at the trade fair; interested in the analytics add-on."},
    {"", " asked for a quote for twenty seats, decision expected this quarter."},
    {"Called ", " about the renewal; prefers email over phone."},
    {"", " moved to a new team, still the main contact for billing."},
    {"Sent ", " the onboarding guide and the security white paper."},
    {"", " reported a login problem; solved with a password reset."},
};
static const char *const call_notes[] = {
    "Discussed renewal terms; follow up next week.", "Asked about pricing for the next tier.",
    "Left a voicemail.", "Walked through the new reporting screens.",
    "Complaint about a late delivery, escalated to logistics."};
static const char *const chat_visitor[] = {
    "Hi, I have a question about my invoice.", "Is the export available in CSV?",
    "How do I unsubscribe from the newsletter?", "Can I change the owner of my account?",
    "Thanks, that solved it!"};
static const char *const chat_agent[] = {
    "Happy to help. Could you share the invoice number?", "Yes, and also as vCard and JSON.",
    "You can use the link at the bottom of any email, or I can do it for you now.",
    "Of course, I have updated it.", "Glad to hear it. Have a nice day!"};

/* ---- small text builders (bounded; truncation only shortens demo text) ---- */

struct text {
    char buf[SEED_TEXT_MAX];
    size_t len;
};

static void text_reset(struct text *t)
{
    t->len = 0;
    t->buf[0] = '\0';
}

static void text_add(struct text *t, const char *s)
{
    size_t n = strlen(s);
    if (n > sizeof t->buf - 1 - t->len)
        n = sizeof t->buf - 1 - t->len;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void text_int(struct text *t, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    text_add(t, num);
}

/* Fills a '#' pattern with digits. */
static void text_pattern(struct text *t, struct prng *r, const char *pattern)
{
    char one[2] = {0, 0};
    for (const char *p = pattern; *p; p++) {
        one[0] = *p == '#' ? (char)('0' + prng_below(r, 10)) : *p;
        text_add(t, one);
    }
}

/* A JSON object under construction. Values are escaped; keys are literals. */
struct json {
    char buf[SEED_JSON_MAX];
    size_t len;
    int fields;
};

static void json_raw(struct json *j, const char *s, size_t n)
{
    if (n > sizeof j->buf - 2 - j->len) /* room for the closing brace */
        n = sizeof j->buf - 2 - j->len;
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void json_begin(struct json *j)
{
    j->len = 0;
    j->fields = 0;
    json_raw(j, "{", 1);
}

static void json_key(struct json *j, const char *key)
{
    if (j->fields++ > 0)
        json_raw(j, ",", 1);
    json_raw(j, "\"", 1);
    json_raw(j, key, strlen(key));
    json_raw(j, "\":", 2);
}

static void json_str(struct json *j, const char *key, const char *val)
{
    json_key(j, key);
    json_raw(j, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)val; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            json_raw(j, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            json_raw(j, esc, 6);
        } else {
            json_raw(j, (const char *)p, 1);
        }
    }
    json_raw(j, "\"", 1);
}

static void json_int(struct json *j, const char *key, int64_t v)
{
    char num[24];
    json_key(j, key);
    snprintf(num, sizeof num, "%lld", (long long)v);
    json_raw(j, num, strlen(num));
}

/* A literal JSON value (array, true/false). */
static void json_lit(struct json *j, const char *key, const char *lit)
{
    json_key(j, key);
    json_raw(j, lit, strlen(lit));
}

static const char *json_end(struct json *j)
{
    j->buf[j->len++] = '}';
    j->buf[j->len] = '\0';
    return j->buf;
}

/* ---- statements ---- */

static int seed_err(sqlite3 *db, char *err, size_t errlen, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
    return -1;
}

/* Steps a statement that returns no row, then resets it for reuse. */
static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_id_or_null(sqlite3_stmt *st, int i, int64_t id)
{
    if (id > 0)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* ---- the account ---- */

struct seed_user {
    const char *name, *display, *email, *role;
    int export_reports, forget_records;
};

static const struct seed_user seed_users[] = {
    {"ana", "Ana Souza", "ana@acme.example.com", "admin", 1, 1},
    {"bruno", "Bruno Lima", "bruno@acme.example.com", "agent", 1, 0},
    {"carla", "Carla Mendes", "carla@acme.example.com", "agent", 0, 1},
};

static const char *const seed_settings[] = {
    "restrict_email_to_dnd",  "auto_profile_enrichment", "chat_store_ip",
    "chat_social_enrichment", "chat_analytics",          "default_unsubscribe_link",
};

int seed_account(sqlite3 *db, FILE *keys_out, char *err, size_t errlen)
{
    uint8_t secret[SEED_KEY_BYTES];
    uint8_t key_raw[SEED_KEY_BYTES];
    uint8_t key_hash[SHA256_LEN];
    char key_hex[2 * SEED_KEY_BYTES + 1];
    char keys[N_OF(seed_users)][2 * SEED_KEY_BYTES + 1];
    sqlite3_stmt *st = NULL;
    int64_t now = db_now();
    int rc = -1;
    int in_tx = 0;

    if (seed_random_bytes(secret, sizeof secret) < 0) {
        snprintf(err, errlen, "cannot read random bytes: %s", strerror(errno));
        goto out;
    }
    if (db_begin(db) < 0) {
        seed_err(db, err, errlen, "cannot begin the seed transaction");
        goto out;
    }
    in_tx = 1;

    if (sqlite3_prepare_v2(db, "SELECT 1 FROM account", -1, &st, NULL) != SQLITE_OK) {
        seed_err(db, err, errlen, "cannot read the account");
        goto out;
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(err, errlen, "the database already holds an account");
        goto out;
    }
    sqlite3_finalize(st);

    if (sqlite3_prepare_v2(db,
                           "INSERT INTO account (id, name, secret, created_at)"
                           " VALUES (1, 'acme', ?1, ?2)",
                           -1, &st, NULL) != SQLITE_OK)
        goto sql_fail;
    sqlite3_bind_blob(st, 1, secret, sizeof secret, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    if (step_done(st) < 0)
        goto sql_fail;
    sqlite3_finalize(st);

    if (sqlite3_prepare_v2(db, "INSERT INTO settings (name, value) VALUES (?1, 1)", -1, &st,
                           NULL) != SQLITE_OK)
        goto sql_fail;
    for (size_t i = 0; i < N_OF(seed_settings); i++) {
        sqlite3_bind_text(st, 1, seed_settings[i], -1, SQLITE_STATIC);
        if (step_done(st) < 0)
            goto sql_fail;
    }
    sqlite3_finalize(st);

    if (sqlite3_prepare_v2(db,
                           "INSERT INTO processors (name, kind) VALUES"
                           " ('Profile enrichment service', 'enrichment'),"
                           " ('Transactional mail relay', 'email_delivery'),"
                           " ('Web analytics', 'analytics')",
                           -1, &st, NULL) != SQLITE_OK ||
        step_done(st) < 0)
        goto sql_fail;
    sqlite3_finalize(st);

    /* 555-01xx and 020 7946 0xxx are reserved for fiction. */
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO phone_numbers (id, number, recording) VALUES"
                           " (1, '+1 415 555 0100', 'automatic'),"
                           " (2, '+44 20 7946 0000', 'manual')",
                           -1, &st, NULL) != SQLITE_OK ||
        step_done(st) < 0)
        goto sql_fail;
    sqlite3_finalize(st);

    if (sqlite3_prepare_v2(db,
                           "INSERT INTO forms (id, name, purpose) VALUES"
                           " (1, 'Newsletter signup', 'newsletter'),"
                           " (2, 'Product updates', 'product_updates'),"
                           " (3, 'Event registration', 'events')",
                           -1, &st, NULL) != SQLITE_OK ||
        step_done(st) < 0)
        goto sql_fail;
    sqlite3_finalize(st);

    if (sqlite3_prepare_v2(db,
                           "INSERT INTO users (id, display_name, email, role, is_active,"
                           " perm_export_reports, perm_forget_records, key_hash, created_at)"
                           " VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8)",
                           -1, &st, NULL) != SQLITE_OK)
        goto sql_fail;
    for (size_t i = 0; i < N_OF(seed_users); i++) {
        const struct seed_user *u = &seed_users[i];
        if (seed_random_bytes(key_raw, sizeof key_raw) < 0) {
            snprintf(err, errlen, "cannot read random bytes: %s", strerror(errno));
            goto out;
        }
        sha256_hex(key_raw, sizeof key_raw, key_hex);
        /* The server hashes the key exactly as the client sends it: the hex text. */
        sha256(key_hex, strlen(key_hex), key_hash);
        memcpy(keys[i], key_hex, sizeof key_hex);
        sqlite3_bind_int64(st, 1, (int64_t)i + 1);
        sqlite3_bind_text(st, 2, u->display, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, u->email, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, u->role, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, u->export_reports);
        sqlite3_bind_int(st, 6, u->forget_records);
        sqlite3_bind_blob(st, 7, key_hash, sizeof key_hash, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 8, now);
        if (step_done(st) < 0)
            goto sql_fail;
    }
    sqlite3_finalize(st);
    st = NULL;

    if (db_commit(db) < 0)
        goto sql_fail;
    in_tx = 0;

    /* The keys are written only once they are valid. */
    if (keys_out) {
        for (size_t i = 0; i < N_OF(seed_users); i++)
            fprintf(keys_out, "%s %s %s\n", seed_users[i].name, seed_users[i].role, keys[i]);
        if (fflush(keys_out) != 0 || ferror(keys_out)) {
            snprintf(err, errlen, "cannot write the keys: %s", strerror(errno));
            goto out;
        }
    }
    rc = 0;
    goto out;

sql_fail:
    seed_err(db, err, errlen, "cannot create the account");
out:
    sqlite3_finalize(st);
    if (in_tx)
        db_rollback(db);
    memset(secret, 0, sizeof secret);
    memset(key_raw, 0, sizeof key_raw);
    memset(key_hex, 0, sizeof key_hex);
    memset(keys, 0, sizeof keys);
    return rc;
}

/* ---- the demo data ---- */

enum seed_stmt_id {
    S_COMPANY,
    S_DEAL,
    S_CONTACT,
    S_EMAIL,
    S_SUB,
    S_ACTIVITY,
    S_NOTE,
    S_CALL,
    S_RECORDING,
    S_CHAT,
    S_CHAT_MSG,
    S_OUTBOX,
    S_PRIVACY,
    S_COUNT
};

static const char *const seed_sql[S_COUNT] = {
    [S_COMPANY] = "INSERT INTO companies (id, name, website, phone, address, city, country,"
                  " owner_id, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    [S_DEAL] = "INSERT INTO deals (name, amount, sales_account_id, created_at)"
               " VALUES (?1, ?2, ?3, ?4)",
    [S_CONTACT] = "INSERT INTO contacts (id, first_name, last_name, email, mobile_number,"
                  " work_number, job_title, department, address, city, state, zipcode, country,"
                  " time_zone, owner_id, sales_account_id, lead_score, do_not_disturb,"
                  " subscription_status, unsubscription_reason, facebook, twitter, linkedin,"
                  " avatar, custom_field, tags, chat_events_timeline, last_seen_ip, is_deleted,"
                  " deleted_at, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
                  "?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,"
                  "?28,?29,?30,?31,?32)",
    [S_EMAIL] = "INSERT INTO contact_emails (contact_id, value, is_primary, label)"
                " VALUES (?1, ?2, ?3, ?4)",
    [S_SUB] = "INSERT INTO subscriptions (contact_id, purpose) VALUES (?1, ?2)",
    [S_ACTIVITY] = "INSERT INTO activities (contact_id, action_type, user_id, action_data,"
                   " created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_NOTE] = "INSERT INTO notes (contact_id, description, user_id, created_at, updated_at)"
               " VALUES (?1, ?2, ?3, ?4, ?4)",
    [S_CALL] = "INSERT INTO calls (contact_id, phone_number_id, user_id, direction, started_at,"
               " duration_s, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_RECORDING] = "INSERT INTO recordings (call_id, data, consent_by_user_id, consent_at)"
                    " VALUES (?1, ?2, ?3, ?4)",
    [S_CHAT] = "INSERT INTO chats (contact_id, started_at, visitor_ip) VALUES (?1, ?2, ?3)",
    [S_CHAT_MSG] = "INSERT INTO chat_messages (chat_id, sender, body, at) VALUES (?1, ?2, ?3, ?4)",
    [S_OUTBOX] = "INSERT INTO outbox (contact_id, kind, to_addr, subject, body, status, user_id,"
                 " created_at) VALUES (?1, 'email', ?2, ?3, ?4, 'sent', ?5, ?6)",
    [S_PRIVACY] = "INSERT INTO privacy_requests (type, subject_email, subject_ref, received_at,"
                  " due_at, status, contact_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

struct company {
    int64_t id;
    const struct name *stem;
    int lang;
    char domain[96];
};

struct seed_ctx {
    sqlite3 *db;
    sqlite3_stmt *st[S_COUNT];
    struct prng rng;
    int64_t now;
    int64_t users[3];
    int n_users;
    int64_t form_for[3]; /* form id per purpose */
    int64_t phone_auto, phone_manual;
    struct company *companies;
    long n_companies;
};

enum purpose { P_NEWSLETTER, P_PRODUCT_UPDATES, P_EVENTS, P_COUNT };
static const char *const purpose_names[P_COUNT] = {"newsletter", "product_updates", "events"};
static const char *const form_names[P_COUNT] = {"Newsletter signup", "Product updates",
                                                "Event registration"};

enum source {
    SRC_WEB_FORM,
    SRC_EMAIL_LINK,
    SRC_QUICK_ACTION,
    SRC_API,
    SRC_IMPORT,
    SRC_ENRICHMENT,
    SRC_SYSTEM,
    SRC_COUNT
};
static const char *const source_names[SRC_COUNT] = {"web_form", "email_link", "quick_action", "api",
                                                    "import",   "enrichment", "system"};

/* What one contact is made of, decided before anything is written. */
struct person {
    int64_t id;
    const struct lang *lang;
    const struct name *first, *last;
    int64_t company; /* 0 for none */
    int64_t owner;   /* 0 for unassigned */
    char email[160];
    char email2[160];
    struct text mobile, work;
    int64_t created, updated;
    int dnd, status; /* subscription_status 0/1/2 */
    int subs[P_COUNT];
    int full; /* the UI-test contact: every source, every section */
};

static int64_t pick_user(struct seed_ctx *c)
{
    return c->users[prng_below(&c->rng, (unsigned)c->n_users)];
}

static int64_t time_between(struct seed_ctx *c, int64_t lo, int64_t hi)
{
    return prng_range(&c->rng, lo, hi);
}

static int add_activity(struct seed_ctx *c, int64_t contact, const char *type, int64_t user,
                        const char *data, int64_t at)
{
    sqlite3_stmt *st = c->st[S_ACTIVITY];
    sqlite3_bind_int64(st, 1, contact);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    bind_id_or_null(st, 3, user);
    sqlite3_bind_text(st, 4, data, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, at);
    return step_done(st);
}

/* A consent_granted entry with the details its source carries. */
static int add_consent(struct seed_ctx *c, const struct person *p, int purpose, int source,
                       int64_t at)
{
    struct json j;
    int64_t user = 0;
    json_begin(&j);
    json_str(&j, "channel", "email");
    json_str(&j, "purpose", purpose_names[purpose]);
    json_str(&j, "source", source_names[source]);
    switch (source) {
    case SRC_WEB_FORM:
        json_int(&j, "form_id", c->form_for[purpose]);
        json_str(&j, "form_name", form_names[purpose]);
        break;
    case SRC_EMAIL_LINK:
        json_str(&j, "email", p->email);
        json_str(&j, "detail", "double opt-in link confirmed");
        break;
    case SRC_QUICK_ACTION:
        user = p->owner > 0 ? p->owner : c->users[0];
        json_str(&j, "detail", "consent given on a call, recorded by the agent");
        break;
    case SRC_API:
        user = c->users[0];
        json_str(&j, "detail", "recorded through the API by the shop integration");
        break;
    case SRC_IMPORT:
        user = c->users[0];
        json_str(&j, "detail", "imported from the trade fair sign-up list");
        break;
    case SRC_ENRICHMENT:
        json_str(&j, "detail", "confirmed by the profile enrichment service");
        break;
    default:
        json_str(&j, "detail", "carried over from the previous CRM");
        break;
    }
    return add_activity(c, p->id, "consent_granted", user, json_end(&j), at);
}

static int add_simple(struct seed_ctx *c, int64_t contact, const char *type, const char *purpose,
                      int source, int64_t user, int64_t at)
{
    struct json j;
    json_begin(&j);
    if (purpose)
        json_str(&j, "purpose", purpose);
    json_str(&j, "source", source_names[source]);
    return add_activity(c, contact, type, user, json_end(&j), at);
}

static int add_email_sent(struct seed_ctx *c, const struct person *p, int64_t at)
{
    const char *subject = email_subjects[prng_below(&c->rng, N_OF(email_subjects))];
    int64_t user = p->owner > 0 ? p->owner : c->users[0];
    struct text body;
    struct json j;
    sqlite3_stmt *st = c->st[S_OUTBOX];

    text_reset(&body);
    text_add(&body, "Hello ");
    text_add(&body, p->first->text);
    text_add(&body, ",\n\nthank you for your time. Best regards");
    sqlite3_bind_int64(st, 1, p->id);
    sqlite3_bind_text(st, 2, p->email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, body.buf, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, user);
    sqlite3_bind_int64(st, 6, at);
    if (step_done(st) < 0)
        return -1;
    json_begin(&j);
    json_str(&j, "channel", "email");
    json_str(&j, "subject", subject);
    json_int(&j, "email_id", sqlite3_last_insert_rowid(c->db));
    json_str(&j, "source", "quick_action");
    return add_activity(c, p->id, "email_sent", user, json_end(&j), at);
}

static int add_note(struct seed_ctx *c, const struct person *p, int64_t at)
{
    char text[SEED_TEXT_MAX];
    int64_t user = p->owner > 0 ? p->owner : pick_user(c);
    struct json j;
    sqlite3_stmt *st = c->st[S_NOTE];

    const char *const *tpl = note_templates[prng_below(&c->rng, N_OF(note_templates))];
    snprintf(text, sizeof text, "%s%s%s", tpl[0], p->first->text, tpl[1]);
    sqlite3_bind_int64(st, 1, p->id);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, user);
    sqlite3_bind_int64(st, 4, at);
    if (step_done(st) < 0)
        return -1;
    json_begin(&j);
    json_int(&j, "note_id", sqlite3_last_insert_rowid(c->db));
    json_str(&j, "source", "quick_action");
    return add_activity(c, p->id, "note_added", user, json_end(&j), at);
}

/* A recording: a WAV header and some noise, small enough for a demo. */
static int add_recording(struct seed_ctx *c, int64_t call, int64_t consent_user, int64_t at)
{
    uint8_t rec[SEED_REC_MAX];
    size_t len = 256 + prng_below(&c->rng, 768);
    static const uint8_t wav[12] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'};
    sqlite3_stmt *st = c->st[S_RECORDING];

    memcpy(rec, wav, sizeof wav);
    for (size_t i = sizeof wav; i < len; i++)
        rec[i] = (uint8_t)prng_next(&c->rng);
    sqlite3_bind_int64(st, 1, call);
    sqlite3_bind_blob(st, 2, rec, (int)len, SQLITE_TRANSIENT);
    bind_id_or_null(st, 3, consent_user);
    if (consent_user > 0)
        sqlite3_bind_int64(st, 4, at);
    else
        sqlite3_bind_null(st, 4);
    return step_done(st);
}

enum call_line { LINE_ANY, LINE_AUTOMATIC, LINE_MANUAL };
enum call_rec { REC_MAYBE, REC_YES, REC_NO };

static int add_call(struct seed_ctx *c, const struct person *p, int64_t at, enum call_line line,
                    enum call_rec rec)
{
    int manual = line == LINE_MANUAL || (line == LINE_ANY && prng_pct(&c->rng, 40));
    int64_t user = p->owner > 0 ? p->owner : pick_user(c);
    const char *dir = prng_pct(&c->rng, 50) ? "inbound" : "outbound";
    int64_t duration = prng_range(&c->rng, 20, 1800);
    const char *note =
        prng_pct(&c->rng, 60) ? call_notes[prng_below(&c->rng, N_OF(call_notes))] : NULL;
    sqlite3_stmt *st = c->st[S_CALL];
    struct json j;
    int64_t call;

    sqlite3_bind_int64(st, 1, p->id);
    sqlite3_bind_int64(st, 2, manual ? c->phone_manual : c->phone_auto);
    sqlite3_bind_int64(st, 3, user);
    sqlite3_bind_text(st, 4, dir, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, at);
    sqlite3_bind_int64(st, 6, duration);
    bind_text_or_null(st, 7, note);
    if (step_done(st) < 0)
        return -1;
    call = sqlite3_last_insert_rowid(c->db);

    /* Automatic numbers record without asking; manual ones only after the
     * agent recorded the caller's consent. */
    if (rec == REC_YES || (rec == REC_MAYBE && prng_pct(&c->rng, manual ? 40 : 50))) {
        if (add_recording(c, call, manual ? user : 0, at) < 0)
            return -1;
    }
    json_begin(&j);
    json_int(&j, "call_id", call);
    json_str(&j, "direction", dir);
    json_int(&j, "duration_s", duration);
    json_str(&j, "source", "quick_action");
    return add_activity(c, p->id, "call_logged", user, json_end(&j), at);
}

static void visitor_ip(struct seed_ctx *c, char *out, size_t outlen)
{
    /* Documentation ranges only (RFC 5737, RFC 3849). */
    switch (prng_below(&c->rng, 4)) {
    case 0:
        snprintf(out, outlen, "192.0.2.%u", 1 + prng_below(&c->rng, 254));
        break;
    case 1:
        snprintf(out, outlen, "198.51.100.%u", 1 + prng_below(&c->rng, 254));
        break;
    case 2:
        snprintf(out, outlen, "203.0.113.%u", 1 + prng_below(&c->rng, 254));
        break;
    default:
        snprintf(out, outlen, "2001:db8::%x", 1 + prng_below(&c->rng, 0xfffe));
        break;
    }
}

static int add_chat(struct seed_ctx *c, const struct person *p, const char *ip, int64_t at)
{
    sqlite3_stmt *st = c->st[S_CHAT];
    unsigned turns = 1 + prng_below(&c->rng, 3);
    unsigned topic = prng_below(&c->rng, N_OF(chat_visitor));
    int64_t chat;
    struct json j;

    sqlite3_bind_int64(st, 1, p->id);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, ip, -1, SQLITE_TRANSIENT);
    if (step_done(st) < 0)
        return -1;
    chat = sqlite3_last_insert_rowid(c->db);
    st = c->st[S_CHAT_MSG];
    for (unsigned t = 0; t < turns; t++) {
        unsigned k = (topic + t) % N_OF(chat_visitor);
        sqlite3_bind_int64(st, 1, chat);
        sqlite3_bind_text(st, 2, "visitor", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, chat_visitor[k], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, at + 60 * t);
        if (step_done(st) < 0)
            return -1;
        sqlite3_bind_int64(st, 1, chat);
        sqlite3_bind_text(st, 2, "agent", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, chat_agent[k], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, at + 60 * t + 30);
        if (step_done(st) < 0)
            return -1;
    }
    json_begin(&j);
    json_int(&j, "chat_id", chat);
    json_str(&j, "channel", "chat");
    json_str(&j, "source", "system");
    return add_activity(c, p->id, "chat_started", 0, json_end(&j), at);
}

/* The primary email: an ASCII local part made from the name, kept unique by the id. */
static void make_email(struct seed_ctx *c, struct person *p)
{
    const char *f = p->first->ascii, *l = p->last->ascii;
    const char *domain = free_domains[prng_below(&c->rng, N_OF(free_domains))];
    long long id = (long long)p->id;

    if (p->company > 0 && prng_pct(&c->rng, 70))
        domain = c->companies[p->company - 1].domain;
    switch (prng_below(&c->rng, 4)) {
    case 0:
        snprintf(p->email, sizeof p->email, "%s.%s%lld@%s", f, l, id, domain);
        break;
    case 1:
        snprintf(p->email, sizeof p->email, "%c%s%lld@%s", f[0], l, id, domain);
        break;
    case 2:
        snprintf(p->email, sizeof p->email, "%s_%s%lld@%s", f, l, id, domain);
        break;
    default:
        snprintf(p->email, sizeof p->email, "%s.%s.%lld@%s", l, f, id, domain);
        break;
    }
    p->email2[0] = '\0';
    if (prng_pct(&c->rng, 20))
        snprintf(p->email2, sizeof p->email2, "%s%s.%lld@example.net", f, l, id);
}

static int seed_companies(struct seed_ctx *c)
{
    sqlite3_stmt *st = c->st[S_COMPANY];
    size_t per_round = N_OF(langs) * 3 * N_OF(industries);

    for (long k = 0; k < c->n_companies; k++) {
        struct company *co = &c->companies[k];
        /* Every (language, stem, industry) once per round, industries mixed early. */
        size_t lang = (size_t)k % N_OF(langs);
        const struct lang *L = &langs[lang];
        size_t rest = ((size_t)k % per_round) / N_OF(langs);
        size_t ind = (rest % N_OF(industries) + lang * 5) % N_OF(industries);
        size_t stem = (rest / N_OF(industries)) % L->n_stems;
        size_t round = (size_t)k / per_round;
        const char *city = L->cities[prng_below(&c->rng, (unsigned)L->n_cities)];
        char name[SEED_TEXT_MAX], website[160], lower[32];
        struct text phone, address;
        int64_t created = c->now - prng_range(&c->rng, 30, 5 * 365) * SEED_DAY;
        size_t i;

        co->id = k + 1;
        co->lang = (int)lang;
        co->stem = &L->stems[stem];
        for (i = 0; industries[ind][i] && i < sizeof lower - 1; i++)
            lower[i] = (char)(industries[ind][i] | 0x20);
        lower[i] = '\0';
        /* Later rounds are branches of the same firms, named after their city. */
        if (round == 0) {
            snprintf(name, sizeof name, "%s %s %s", co->stem->text, industries[ind], L->legal);
            snprintf(co->domain, sizeof co->domain, "%s-%s.example.com", co->stem->ascii, lower);
        } else {
            snprintf(name, sizeof name, "%s %s %s (%s)", co->stem->text, industries[ind], L->legal,
                     city);
            snprintf(co->domain, sizeof co->domain, "%s-%s-%zu.example.com", co->stem->ascii, lower,
                     round + 1);
        }
        snprintf(website, sizeof website, "https://www.%s", co->domain);
        text_reset(&phone);
        text_add(&phone, L->dial);
        text_add(&phone, " ");
        text_pattern(&phone, &c->rng, L->mobile);
        text_reset(&address);
        text_add(&address, L->streets[prng_below(&c->rng, (unsigned)L->n_streets)]);
        text_add(&address, " ");
        text_int(&address, prng_range(&c->rng, 1, 240));

        sqlite3_bind_int64(st, 1, co->id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, website, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, phone.buf, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, address.buf, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, city, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, L->country, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 8, pick_user(c));
        sqlite3_bind_int64(st, 9, created);
        sqlite3_bind_int64(st, 10, created + prng_range(&c->rng, 0, c->now - created));
        if (step_done(st) < 0)
            return -1;

        unsigned n_deals = prng_below(&c->rng, 4);
        for (unsigned d = 0; d < n_deals; d++) {
            char deal[SEED_TEXT_MAX], amount[32];
            snprintf(deal, sizeof deal, "%s - %s", products[prng_below(&c->rng, N_OF(products))],
                     co->stem->text);
            snprintf(amount, sizeof amount, "%lld.0",
                     (long long)prng_range(&c->rng, 5, 2500) * 100);
            sqlite3_bind_text(c->st[S_DEAL], 1, deal, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(c->st[S_DEAL], 2, amount, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(c->st[S_DEAL], 3, co->id);
            sqlite3_bind_int64(c->st[S_DEAL], 4, time_between(c, created, c->now));
            if (step_done(c->st[S_DEAL]) < 0)
                return -1;
        }
    }
    return 0;
}

/* Subscription state and the consent history that explains it. */
static int seed_consent(struct seed_ctx *c, struct person *p)
{
    int64_t mid = p->created + (c->now - p->created) / 2;

    if (p->full) {
        /* The UI-test contact: consent events of every source, a withdrawal and
         * a re-consent, so every timeline rendering has something to show. */
        static const int sources[] = {SRC_WEB_FORM, SRC_EMAIL_LINK, SRC_QUICK_ACTION, SRC_API,
                                      SRC_IMPORT,   SRC_ENRICHMENT, SRC_SYSTEM};
        int64_t span = (c->now - p->created) / (int64_t)(N_OF(sources) + 4);
        int64_t at = p->created;
        for (size_t i = 0; i < N_OF(sources); i++) {
            int purpose = (int)(i % P_COUNT);
            at += span;
            if (add_consent(c, p, purpose, sources[i], at) < 0 ||
                add_simple(c, p->id, "subscribed", purpose_names[purpose], sources[i], 0, at + 1) <
                    0)
                return -1;
        }
        at += span;
        if (add_simple(c, p->id, "consent_withdrawn", "events", SRC_EMAIL_LINK, 0, at) < 0 ||
            add_simple(c, p->id, "unsubscribed", "events", SRC_EMAIL_LINK, 0, at + 1) < 0)
            return -1;
        at += span;
        if (add_consent(c, p, P_EVENTS, SRC_WEB_FORM, at) < 0 ||
            add_simple(c, p->id, "subscribed", "events", SRC_WEB_FORM, 0, at + 1) < 0)
            return -1;
        at += span;
        return add_simple(c, p->id, "opt_in_requested", "product_updates", SRC_QUICK_ACTION,
                          p->owner, at);
    }

    if (p->status == 1) {
        for (int k = 0; k < P_COUNT; k++) {
            if (!p->subs[k])
                continue;
            int source = (int)prng_below(&c->rng, SRC_COUNT);
            int64_t at = time_between(c, p->created, mid);
            if (add_consent(c, p, k, source, at) < 0 ||
                add_simple(c, p->id, "subscribed", purpose_names[k], source, 0, at + 1) < 0)
                return -1;
        }
    } else if (p->status == 0) {
        int source = (int)prng_below(&c->rng, SRC_COUNT);
        int64_t at = time_between(c, p->created, mid);
        int64_t later = time_between(c, mid, c->now);
        int how = prng_pct(&c->rng, 60) ? SRC_EMAIL_LINK : SRC_QUICK_ACTION;
        int64_t by = how == SRC_QUICK_ACTION ? (p->owner > 0 ? p->owner : c->users[0]) : 0;
        if (add_consent(c, p, P_NEWSLETTER, source, at) < 0 ||
            add_simple(c, p->id, "subscribed", "newsletter", source, 0, at + 1) < 0 ||
            add_simple(c, p->id, "consent_withdrawn", "newsletter", how, by, later) < 0 ||
            add_simple(c, p->id, "unsubscribed", "newsletter", how, by, later + 1) < 0)
            return -1;
    } else if (prng_pct(&c->rng, 10)) {
        if (add_simple(c, p->id, "opt_in_requested", "newsletter", SRC_QUICK_ACTION,
                       p->owner > 0 ? p->owner : c->users[0], time_between(c, mid, c->now)) < 0)
            return -1;
    }
    for (int k = 0; k < P_COUNT; k++) {
        if (!p->subs[k])
            continue;
        sqlite3_bind_int64(c->st[S_SUB], 1, p->id);
        sqlite3_bind_text(c->st[S_SUB], 2, purpose_names[k], -1, SQLITE_STATIC);
        if (step_done(c->st[S_SUB]) < 0)
            return -1;
    }
    return 0;
}

static int seed_contact(struct seed_ctx *c, int64_t id)
{
    struct person p;
    struct text address, zip, social_fb, social_tw, social_li, avatar;
    char ip[48] = "", custom[96];
    const char *tags = "[]";
    const struct lang *L;
    sqlite3_stmt *st = c->st[S_CONTACT];
    int enriched, deleted, has_chat, has_address;
    int64_t deleted_at = 0;

    memset(&p, 0, sizeof p);
    p.id = id;
    p.full = id == SEED_SHOWCASE_CONTACT;
    p.lang = L = &langs[prng_below(&c->rng, N_OF(langs))];
    p.first = &L->first[prng_below(&c->rng, (unsigned)L->n_first)];
    p.last = &L->last[prng_below(&c->rng, (unsigned)L->n_last)];
    p.company = prng_pct(&c->rng, 80) || p.full
                    ? 1 + (int64_t)prng_below(&c->rng, (unsigned)c->n_companies)
                    : 0;
    p.owner = prng_pct(&c->rng, 96) || p.full ? pick_user(c) : 0;
    p.created = c->now - prng_range(&c->rng, 2 * SEED_DAY, 3 * 365 * SEED_DAY);
    p.updated = time_between(c, p.created, c->now);
    make_email(c, &p);
    text_reset(&p.mobile);
    text_reset(&p.work);
    if (prng_pct(&c->rng, 85) || p.full) {
        text_add(&p.mobile, L->dial);
        text_add(&p.mobile, " ");
        text_pattern(&p.mobile, &c->rng, L->mobile);
    }
    if (prng_pct(&c->rng, 30)) {
        text_add(&p.work, L->dial);
        text_add(&p.work, " ");
        text_pattern(&p.work, &c->rng, L->mobile);
    }

    /* Subscription mix: about 55% subscribed, 15% unsubscribed, the rest not set;
     * 5% are do-not-disturb (and so unsubscribed). */
    unsigned roll = prng_below(&c->rng, 100);
    p.dnd = !p.full && roll < 5;
    p.status = p.full ? 1 : p.dnd || roll < 20 ? 0 : roll < 75 ? 1 : 2;
    if (p.status == 1) {
        int any = 0;
        for (int k = 0; k < P_COUNT; k++)
            any |= p.subs[k] = p.full || prng_pct(&c->rng, k == P_NEWSLETTER ? 80 : 40);
        if (!any)
            p.subs[P_NEWSLETTER] = 1;
    }
    enriched = p.full || prng_pct(&c->rng, 20);
    deleted = !p.full && prng_pct(&c->rng, 2);
    has_chat = p.full || prng_pct(&c->rng, 15);
    has_address = p.full || prng_pct(&c->rng, 60);
    if (deleted)
        deleted_at = c->now - prng_range(&c->rng, SEED_DAY / 2, 60 * SEED_DAY);
    if (has_chat)
        visitor_ip(c, ip, sizeof ip);

    text_reset(&address);
    text_reset(&zip);
    if (has_address) {
        text_add(&address, L->streets[prng_below(&c->rng, (unsigned)L->n_streets)]);
        text_add(&address, " ");
        text_int(&address, prng_range(&c->rng, 1, 300));
        if (L->zip)
            text_pattern(&zip, &c->rng, L->zip);
    }
    text_reset(&social_fb);
    text_reset(&social_tw);
    text_reset(&social_li);
    text_reset(&avatar);
    if (enriched) {
        text_add(&social_fb, p.first->ascii);
        text_add(&social_fb, ".");
        text_add(&social_fb, p.last->ascii);
        text_add(&social_fb, ".");
        text_int(&social_fb, id);
        text_add(&social_tw, "@");
        text_add(&social_tw, p.first->ascii);
        text_add(&social_tw, p.last->ascii);
        text_int(&social_tw, id % 1000);
        text_add(&social_li, "https://www.linkedin.com/in/");
        text_add(&social_li, p.first->ascii);
        text_add(&social_li, "-");
        text_add(&social_li, p.last->ascii);
        text_add(&social_li, "-");
        text_int(&social_li, id);
        text_add(&avatar, "https://avatars.example.com/");
        text_int(&avatar, id);
        text_add(&avatar, ".png");
    }
    if (prng_pct(&c->rng, 30))
        snprintf(custom, sizeof custom, "{\"cf_segment\":\"%s\"}",
                 segments[prng_below(&c->rng, N_OF(segments))]);
    else
        snprintf(custom, sizeof custom, "{}");
    if (prng_pct(&c->rng, 15))
        tags = tag_sets[prng_below(&c->rng, N_OF(tag_sets))];

    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, p.first->text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p.last->text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p.email, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 5, p.mobile.buf);
    bind_text_or_null(st, 6, p.work.buf);
    sqlite3_bind_text(st, 7, job_titles[prng_below(&c->rng, N_OF(job_titles))], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, departments[prng_below(&c->rng, N_OF(departments))], -1,
                      SQLITE_STATIC);
    bind_text_or_null(st, 9, address.buf);
    if (has_address)
        sqlite3_bind_text(st, 10, L->cities[prng_below(&c->rng, (unsigned)L->n_cities)], -1,
                          SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 10);
    sqlite3_bind_null(st, 11);
    bind_text_or_null(st, 12, zip.buf);
    sqlite3_bind_text(st, 13, L->country, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, L->tz, -1, SQLITE_STATIC);
    bind_id_or_null(st, 15, p.owner);
    bind_id_or_null(st, 16, p.company);
    sqlite3_bind_int64(st, 17, prng_range(&c->rng, 0, 100));
    sqlite3_bind_int(st, 18, p.dnd);
    sqlite3_bind_int(st, 19, p.status);
    if (p.status == 0)
        sqlite3_bind_text(st, 20, unsub_reasons[prng_below(&c->rng, N_OF(unsub_reasons))], -1,
                          SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 20);
    bind_text_or_null(st, 21, social_fb.buf);
    bind_text_or_null(st, 22, social_tw.buf);
    bind_text_or_null(st, 23, social_li.buf);
    bind_text_or_null(st, 24, avatar.buf);
    sqlite3_bind_text(st, 25, custom, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 26, tags, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 27, p.full || !prng_pct(&c->rng, 5));
    bind_text_or_null(st, 28, ip);
    sqlite3_bind_int(st, 29, deleted);
    bind_id_or_null(st, 30, deleted_at);
    sqlite3_bind_int64(st, 31, p.created);
    sqlite3_bind_int64(st, 32, p.updated);
    if (step_done(st) < 0)
        return -1;

    st = c->st[S_EMAIL];
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, p.email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, 1);
    sqlite3_bind_text(st, 4, "work", -1, SQLITE_STATIC);
    if (step_done(st) < 0)
        return -1;
    if (p.email2[0]) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, p.email2, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, 0);
        sqlite3_bind_text(st, 4, "personal", -1, SQLITE_STATIC);
        if (step_done(st) < 0)
            return -1;
    }
    if (search_index_contact(c->db, id) < 0)
        return -1;

    /* The timeline, oldest first. */
    {
        static const int created_sources[] = {SRC_IMPORT, SRC_WEB_FORM, SRC_API, SRC_QUICK_ACTION};
        int src = created_sources[prng_below(&c->rng, N_OF(created_sources))];
        int64_t by = src == SRC_WEB_FORM ? 0 : src == SRC_IMPORT ? c->users[0] : p.owner;
        if (add_simple(c, id, "created", NULL, src, by, p.created) < 0)
            return -1;
    }
    if (seed_consent(c, &p) < 0)
        return -1;
    if (p.dnd) {
        struct json j;
        json_begin(&j);
        json_str(&j, "source", "quick_action");
        json_lit(&j, "do_not_disturb", "true");
        if (add_activity(c, id, "unsubscribed", p.owner > 0 ? p.owner : c->users[0], json_end(&j),
                         time_between(c, p.created, c->now)) < 0)
            return -1;
        if (prng_pct(&c->rng, 30) && add_simple(c, id, "email_blocked", NULL, SRC_SYSTEM, p.owner,
                                                time_between(c, p.created, c->now)) < 0)
            return -1;
    }
    if (enriched) {
        struct json j;
        json_begin(&j);
        json_str(&j, "source", "enrichment");
        json_lit(&j, "fields", "[\"facebook\",\"twitter\",\"linkedin\",\"avatar\"]");
        if (add_activity(c, id, "enriched", 0, json_end(&j), time_between(c, p.created, c->now)) <
            0)
            return -1;
    }
    unsigned n_mail = p.full ? 2 : p.dnd ? 0 : prng_below(&c->rng, 3);
    for (unsigned k = 0; k < n_mail; k++)
        if (add_email_sent(c, &p, time_between(c, p.created, c->now)) < 0)
            return -1;
    unsigned roll_notes = prng_below(&c->rng, 100);
    unsigned n_notes = p.full ? 2 : roll_notes < 15 ? 2 : roll_notes < 50 ? 1 : 0;
    for (unsigned k = 0; k < n_notes; k++)
        if (add_note(c, &p, time_between(c, p.created, c->now)) < 0)
            return -1;
    if (p.full) {
        /* One automatic recording, one manual with consent, one unrecorded. */
        if (add_call(c, &p, time_between(c, p.created, c->now), LINE_AUTOMATIC, REC_YES) < 0 ||
            add_call(c, &p, time_between(c, p.created, c->now), LINE_MANUAL, REC_YES) < 0 ||
            add_call(c, &p, time_between(c, p.created, c->now), LINE_AUTOMATIC, REC_NO) < 0)
            return -1;
    } else if (prng_pct(&c->rng, 25)) {
        unsigned n_calls = 1 + prng_below(&c->rng, 2);
        for (unsigned k = 0; k < n_calls; k++)
            if (add_call(c, &p, time_between(c, p.created, c->now), LINE_ANY, REC_MAYBE) < 0)
                return -1;
    }
    if (has_chat && add_chat(c, &p, ip, time_between(c, p.created, c->now)) < 0)
        return -1;
    if (p.full || prng_pct(&c->rng, 5)) {
        struct json j;
        json_begin(&j);
        json_lit(&j, "fields", "[\"job_title\",\"mobile_number\"]");
        json_str(&j, "source", "quick_action");
        if (add_activity(c, id, "rectified", p.owner, json_end(&j),
                         time_between(c, p.created, c->now)) < 0)
            return -1;
    }
    if (p.full || prng_pct(&c->rng, 3)) {
        struct json j;
        int64_t from = pick_user(c);
        json_begin(&j);
        json_int(&j, "from_user_id", from);
        json_int(&j, "to_user_id", p.owner);
        json_str(&j, "source", "quick_action");
        if (add_activity(c, id, "owner_changed", c->users[0], json_end(&j),
                         time_between(c, p.created, c->now)) < 0)
            return -1;
    }
    return 0;
}

/* One calendar month after t (the Art. 12(3) deadline), clamped to the month's end. */
static int64_t add_month(int64_t t)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return t + 30 * SEED_DAY;
    int mday = tm.tm_mday;
    tm.tm_mon += 1;
    if (tm.tm_mon == 12) {
        tm.tm_mon = 0;
        tm.tm_year += 1;
    }
    int year = tm.tm_year + 1900;
    int max = days[tm.tm_mon] +
              (tm.tm_mon == 1 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0));
    tm.tm_mday = mday > max ? max : mday;
    return (int64_t)timegm(&tm);
}

static int seed_privacy_requests(struct seed_ctx *c, long n)
{
    static const char *const types[] = {"access", "erasure", "rectification", "portability"};
    static const char *const states[] = {"new", "verified", "in_progress", "done", "rejected"};
    long count = n / 5000 + 4;
    sqlite3_stmt *st = c->st[S_PRIVACY];
    sqlite3_stmt *get = NULL;
    int rc = -1;

    if (count > 40)
        count = 40;
    if (sqlite3_prepare_v2(c->db, "SELECT email FROM contacts WHERE id = ?1", -1, &get, NULL) !=
        SQLITE_OK)
        goto out;
    for (long k = 0; k < count; k++) {
        int64_t contact = 2 + (int64_t)prng_below(&c->rng, (unsigned)(n > 1 ? n - 1 : 1));
        const char *state = states[k % N_OF(states)];
        int64_t received = c->now - prng_range(&c->rng, 0, 45) * SEED_DAY;
        char ref[65];

        if (contact > n)
            contact = n;
        sqlite3_bind_int64(get, 1, contact);
        if (sqlite3_step(get) != SQLITE_ROW) {
            sqlite3_reset(get);
            goto out;
        }
        sqlite3_bind_text(st, 1, types[prng_below(&c->rng, N_OF(types))], -1, SQLITE_STATIC);
        /* A finished request keeps the reference, not the address. */
        if (strcmp(state, "done") == 0) {
            if (erase_subject_ref(c->db, "contact", contact, ref) < 0) {
                sqlite3_reset(get);
                goto out;
            }
            sqlite3_bind_null(st, 2);
            sqlite3_bind_text(st, 3, ref, -1, SQLITE_TRANSIENT);
        } else {
            sqlite3_bind_text(st, 2, (const char *)sqlite3_column_text(get, 0), -1,
                              SQLITE_TRANSIENT);
            sqlite3_bind_null(st, 3);
        }
        sqlite3_reset(get);
        sqlite3_bind_int64(st, 4, received);
        sqlite3_bind_int64(st, 5, add_month(received));
        sqlite3_bind_text(st, 6, state, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, contact);
        if (step_done(st) < 0)
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(get);
    return rc;
}

/* Users, forms and phone numbers come from seed_account; read their ids. */
static int seed_lookup(struct seed_ctx *c, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(c->db, "SELECT id FROM users WHERE is_deleted = 0 ORDER BY id", -1, &st,
                           NULL) != SQLITE_OK)
        goto sql_fail;
    while (c->n_users < (int)N_OF(c->users) && sqlite3_step(st) == SQLITE_ROW)
        c->users[c->n_users++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (c->n_users == 0) {
        snprintf(err, errlen, "the demo data needs the account: run seed_account first");
        goto out;
    }
    if (sqlite3_prepare_v2(c->db, "SELECT id FROM forms WHERE purpose = ?1 ORDER BY id LIMIT 1", -1,
                           &st, NULL) != SQLITE_OK)
        goto sql_fail;
    for (int k = 0; k < P_COUNT; k++) {
        sqlite3_bind_text(st, 1, purpose_names[k], -1, SQLITE_STATIC);
        c->form_for[k] = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(c->db,
                           "SELECT id FROM phone_numbers WHERE recording = ?1 ORDER BY id LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        goto sql_fail;
    sqlite3_bind_text(st, 1, "automatic", -1, SQLITE_STATIC);
    c->phone_auto = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, "manual", -1, SQLITE_STATIC);
    c->phone_manual = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    st = NULL;
    if (!c->phone_auto || !c->phone_manual || !c->form_for[0]) {
        snprintf(err, errlen, "the account lacks its phone numbers or forms");
        goto out;
    }
    rc = 0;
    goto out;
sql_fail:
    seed_err(c->db, err, errlen, "cannot read the account");
out:
    sqlite3_finalize(st);
    return rc;
}

static int pragma_int(sqlite3 *db, const char *sql, int64_t *value)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        if (value)
            *value = sqlite3_column_int64(st, 0);
        rc = 0;
        break;
    case SQLITE_DONE:
        rc = 0;
        break;
    default:
        break;
    }
out:
    sqlite3_finalize(st);
    return rc;
}

/* Indexes the bulk load does without: building an index once over sorted
 * keys is several times faster than keeping it up to date row by row, and
 * leaves its pages packed. search_index_contact needs the two it looks up. */
struct saved_index {
    char *name;
    char *sql;
};

static void saved_free(struct saved_index *saved, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(saved[i].name);
        free(saved[i].sql);
    }
    free(saved);
}

static char *dup_text(const unsigned char *s)
{
    size_t n = strlen((const char *)s);
    char *copy = malloc(n + 1);
    if (copy)
        memcpy(copy, s, n + 1);
    return copy;
}

/* Drops the deferrable indexes, remembering their SQL. Inside the seed's
 * transaction, so that a failure brings them back. */
static int indexes_drop(sqlite3 *db, struct saved_index **out, size_t *n_out)
{
    sqlite3_stmt *st = NULL;
    struct saved_index *saved = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;

    if (sqlite3_prepare_v2(db,
                           "SELECT name, sql FROM sqlite_schema WHERE type = 'index'"
                           " AND sql IS NOT NULL AND name NOT IN ('search_terms_contact',"
                           " 'contact_emails_contact')",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *name = sqlite3_column_text(st, 0);
        const unsigned char *sql = sqlite3_column_text(st, 1);
        if (!name || !sql || strchr((const char *)name, '"'))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            struct saved_index *grown = realloc(saved, cap * sizeof *grown);
            if (!grown)
                goto out;
            saved = grown;
        }
        saved[n].name = dup_text(name);
        saved[n].sql = dup_text(sql);
        n++;
        if (!saved[n - 1].name || !saved[n - 1].sql)
            goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    for (size_t i = 0; i < n; i++) {
        /* An identifier cannot be a bound parameter; the name comes from the
         * schema itself and holds no quote. */
        char drop[256];
        snprintf(drop, sizeof drop, "DROP INDEX main.\"%s\"", saved[i].name);
        if (sqlite3_prepare_v2(db, drop, -1, &st, NULL) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            goto out;
        sqlite3_finalize(st);
        st = NULL;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    if (rc < 0) {
        saved_free(saved, n);
        saved = NULL;
        n = 0;
    }
    *out = saved;
    *n_out = n;
    return rc;
}

static int indexes_restore(sqlite3 *db, const struct saved_index *saved, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (sqlite3_exec(db, saved[i].sql, NULL, NULL, NULL) != SQLITE_OK)
            return -1;
    return 0;
}

int seed_demo(sqlite3 *db, long n, char *err, size_t errlen)
{
    struct seed_ctx c;
    struct saved_index *saved = NULL;
    size_t n_saved = 0;
    int64_t cache = 0;
    char pragma[64];
    int rc = -1, in_tx = 0, was_wal = 0;

    memset(&c, 0, sizeof c);
    c.db = db;
    c.rng.s = SEED_PRNG_SEED;
    c.now = db_now();
    if (n < 0 || n > SEED_MAX_CONTACT) {
        snprintf(err, errlen, "the demo size must be between 0 and %ld", SEED_MAX_CONTACT);
        return -1;
    }
    if (n == 0)
        return 0;
    if (seed_lookup(&c, err, errlen) < 0)
        return -1;

    c.n_companies = n / 20 > 0 ? n / 20 : 1;
    c.companies = calloc((size_t)c.n_companies, sizeof *c.companies);
    if (!c.companies) {
        snprintf(err, errlen, "out of memory for %ld companies", c.n_companies);
        return -1;
    }
    /* A larger page cache for the bulk load; restored afterwards. */
    pragma_int(db, "PRAGMA cache_size", &cache);
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size=-%d", SEED_CACHE_KIB);
    pragma_int(db, pragma, NULL);
    /* A rollback journal holds only the pages that existed before the load
     * (the account); in WAL mode every new page would be written twice. It
     * needs this to be the only connection, else the mode stays WAL. */
    {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            was_wal = sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
        sqlite3_finalize(st);
        if (was_wal)
            pragma_int(db, "PRAGMA journal_mode=DELETE", NULL);
    }

    for (int i = 0; i < S_COUNT; i++) {
        if (sqlite3_prepare_v2(db, seed_sql[i], -1, &c.st[i], NULL) != SQLITE_OK) {
            seed_err(db, err, errlen, "cannot prepare the demo data");
            goto out;
        }
    }
    if (db_begin(db) < 0) {
        seed_err(db, err, errlen, "cannot begin the demo transaction");
        goto out;
    }
    in_tx = 1;
    if (indexes_drop(db, &saved, &n_saved) < 0) {
        seed_err(db, err, errlen, "cannot set the indexes aside for the bulk load");
        goto out;
    }
    if (seed_companies(&c) < 0) {
        seed_err(db, err, errlen, "cannot write the demo companies");
        goto out;
    }
    for (long i = 1; i <= n; i++) {
        if (seed_contact(&c, i) < 0) {
            seed_err(db, err, errlen, "cannot write the demo contacts");
            goto out;
        }
    }
    if (seed_privacy_requests(&c, n) < 0) {
        seed_err(db, err, errlen, "cannot write the demo privacy requests");
        goto out;
    }
    if (indexes_restore(db, saved, n_saved) < 0) {
        seed_err(db, err, errlen, "cannot build the indexes");
        goto out;
    }
    if (db_commit(db) < 0) {
        seed_err(db, err, errlen, "cannot commit the demo data");
        goto out;
    }
    in_tx = 0;
    rc = 0;
out:
    if (in_tx)
        db_rollback(db);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(c.st[i]);
    if (cache != 0) {
        snprintf(pragma, sizeof pragma, "PRAGMA cache_size=%lld", (long long)cache);
        pragma_int(db, pragma, NULL);
    }
    if (was_wal && pragma_int(db, "PRAGMA journal_mode=WAL", NULL) < 0 && rc == 0) {
        seed_err(db, err, errlen, "cannot return to WAL mode");
        rc = -1;
    }
    free(c.companies);
    saved_free(saved, n_saved);
    return rc;
}
