"""Every tunable number of vnfacts in one place, one commented line each. Modules read them at call
time (``thresholds.NAME``), so a test or an operator can change one without touching code."""
import os

# -- reading and fetching ------------------------------------------------------------------------
MAX_ARTICLE_BYTES = 20 * 1024 * 1024   # a local file larger than this is quarantined, not read whole
MAX_PAGE_BYTES = 5 * 1024 * 1024       # a web page larger than this is quarantined, not read into memory
MAX_ROBOTS_BYTES = 512 * 1024          # robots.txt is read (decompressed) up to this size; the rules so far apply
MAX_REDIRECTS = 5                      # more redirects than this is a loop: the page is quarantined
RETRY_DELAYS = (1.0, 3.0)              # seconds before the 2nd and 3rd attempt at a 5xx / timeout (per source)
LIST_RETRY_DELAYS = (5, 30)            # seconds before the flow lists a source again after a network failure
MAX_SITEMAP_DEPTH = 2                  # sitemap indexes followed this deep
BINARY_CONTROL_SHARE = 0.05            # more bytes that cannot be text (NUL, C0 controls) than this share: binary
ERROR_MAX_CHARS = 2000                 # a stored reason (an article's error, a source's) is cut to this length
LEGACY_MIN_GAIN = 0.15                 # a TCVN3/VNI reading must make this much more of the words Vietnamese
MIN_FALLBACK_WORDS = 5                 # the plain-text HTML fallback needs at least this many words

# -- processing ----------------------------------------------------------------------------------
# an article still being processed after this is quarantined (VNFACTS_ARTICLE_TIME_LIMIT_S overrides it)
ARTICLE_TIME_LIMIT_S = float(os.environ.get("VNFACTS_ARTICLE_TIME_LIMIT_S") or 60)
BATCH_SIZE = 25                        # articles per batch: what a worker is given at once, and one store transaction
IN_FLIGHT_PER_WORKER = 2               # batches handed out per worker before the writer waits (memory stays flat)
HEAD_START_BATCHES = 8                 # batches processed while a Prefect run starts up, before its flow takes them (≈ 2.6 MB held)
PROGRESS_LOG_SECONDS = 10              # off a terminal, a run logs a progress line at most this often
ARTIFACT_MAX_PROBLEMS = 50             # failed or quarantined articles named in a run's Prefect summary artifact
PREFECT_SERVER_START_TIMEOUT_S = 90    # seconds Prefect's temporary server may take to start (busy machines)
PREFECT_LOCAL_API = "http://127.0.0.1:4200/api"   # a run reports to a server here when PREFECT_API_URL is unset (VNFACTS_PREFECT_LOCAL_API overrides)
INGEST_SCHEDULE_CRON = "0 2 * * *"     # when the served deployment (python flows.py) ingests: 02:00 daily
STORE_ATTEMPTS = 5                     # tries of one database read or write through transient errors (0.2, 0.4, 0.6, 0.8 s apart)
MIN_WORDS_FOR_LANGUAGE = 40            # the language check needs at least this many words
MIN_VIETNAMESE_SHARE = 0.5             # below this share of Vietnamese syllables an article is not Vietnamese
SIMHASH_MAX_DISTANCE = 3               # bodies whose SimHash differs in at most this many bits are re-posts
MAX_SENTENCE_CHARS = 800              # a longer run-on sentence is read in windows of this size (linear time)
NUMERAL_MAX_TOKENS = 40                # longest numeral read, in words and digit groups (10^15 in words is ~36)
TITLE_MAX_CHARS = 250                  # a first line longer than this is a paragraph, not a headline
CAPTION_MAX_CHARS = 250                # a later line this short without a full stop is a photo caption

# -- extraction ----------------------------------------------------------------------------------
MAX_PHRASE_WORDS = 16                  # words shown of an indicator phrase
AS_OF_CARRY_SENTENCES = 3              # a date that opens a sentence frames the figures of at most this many sentences after it
SUBJECT_MIN_FACTS = 3                  # an article's implicit subject needs this many cues that name it
SUBJECT_MIN_SHARE = 0.5                # … and more than this share of all the cues it names
MAX_NAME_WORDS = 4                     # Vietnamese names have 2 to 4 syllables
MAX_TITLE_CHARS = 120                  # a title is read at most this far
DATELINE_VOTES = 5                     # a newspaper dateline ("BHG-") counts as this many province mentions
URL_HOST_VOTES = 2                     # a provincial paper's web address (baoquangnam.vn, anhp.vn) counts as this many mentions
HEADLINE_VOTES = 1                     # a province named in the headline counts this many more times than in the body
URL_PATH_VOTES = 3                     # a province spelled in the article's address (/ha-noi-…) counts as this many
PROVINCE_MANY = 4                      # an article naming this many provinces or more …
PROVINCE_MANY_SHARE = 0.5              # … is national unless one of them has more than this share of the votes
MAX_FOREIGN_NAME_WORDS = 4           # a foreign name taken after a title has at most this many words ("Recep Tayyip Erdogan")
CHANGE_OBJECT_WORDS = 5              # words of a change verb's object before its link ("giảm tai nạn giao thông được 12,5%")
PLAN_PHRASE_CHARS = 130              # a plan's noun phrase ("chỉ tiêu được giao tại Quyết định số … của Thủ tướng") runs at most this far before its bracketed value
QUOTED_NAME_CHARS = 90               # a year inside quotes opened at most this far before it is part of a quoted name
TOKEN_CONTEXT_BEFORE = 50             # characters of context the token layer reads before a trigger
TOKEN_CONTEXT_AFTER = 30              # … and after it (a counted noun phrase, a title after a name)
TOKEN_LAYER_RELOAD_DOCS = 50000       # the token layer's pipeline is reloaded after this many Docs (memory stays flat)
PROVINCE_MIN_VOTES = 2                 # an article's province needs this many votes and twice the runner-up's

# -- store, exports, web -------------------------------------------------------------------------
EXPORT_CHUNK_ROWS = 5000               # rows per page of an export
API_MAX_LIMIT = 500                    # largest page the API returns
API_MAX_ID = 2**62                     # ids beyond this are refused (64-bit signed in both databases)
MAX_REQUEST_BYTES = 64 * 1024          # larger request bodies are refused (review forms are small)
SIGN_IN_FAILURES = 5                   # failed sign-ins of one account from one address before its further tries are refused …
SIGN_IN_FAILURES_PER_ADDRESS = 100     # … failed sign-ins from one address, whatever the accounts, before all its tries are …
SIGN_IN_WINDOW_S = 300                 # … within this many seconds
SESSION_DAYS = 7                       # a sign-in lasts this long
MIN_PASSWORD = 8                       # shortest password accepted
ARTICLES_PER_PAGE = 50                 # rows on one page of the reviewer's article list
MAX_ADDED_SPAN = 40                    # longest text a reviewer may select as a missed number (characters)
REVIEW_CONTEXT_CHARS = 60              # text kept on each side of a decided number: what re-attaches it when the text changes
REATTACH_MIN_SIMILARITY = 0.6          # how alike (0–1, difflib) the words around a number must stay for a decision to follow it
RANK_AFTER_FIGURE_CHARS = 30           # at most this far after a figure, a position in its sentence ranks that figure
