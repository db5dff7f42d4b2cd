"""Every tunable number of vnfacts in one place, one commented line each. Modules read them at call
time (``thresholds.NAME``), so a test or an operator can change one without touching code."""

# -- reading and fetching ------------------------------------------------------------------------
MAX_ARTICLE_BYTES = 20 * 1024 * 1024   # a local file larger than this is quarantined, not read whole
MAX_PAGE_BYTES = 5 * 1024 * 1024       # a web page larger than this is quarantined, not read into memory
MAX_REDIRECTS = 5                      # more redirects than this is a loop: the page is quarantined
RETRY_DELAYS = (1.0, 3.0)              # seconds before the 2nd and 3rd attempt at a 5xx / timeout (per source)
MAX_SITEMAP_DEPTH = 2                  # sitemap indexes followed this deep
BINARY_CONTROL_SHARE = 0.05            # more control characters than this share of a text: binary content
LEGACY_MIN_GAIN = 0.15                 # a TCVN3/VNI reading must make this much more of the words Vietnamese
MIN_FALLBACK_WORDS = 5                 # the plain-text HTML fallback needs at least this many words

# -- processing ----------------------------------------------------------------------------------
ARTICLE_TIME_LIMIT_S = 60              # an article still being processed after this is quarantined
BATCH_SIZE = 25                        # articles per processing task of the flow
STORE_ATTEMPTS = 3                     # tries to store one article through transient database errors
MIN_WORDS_FOR_LANGUAGE = 40            # the language check needs at least this many words
MIN_VIETNAMESE_SHARE = 0.5             # below this share of Vietnamese syllables an article is not Vietnamese
SIMHASH_MAX_DISTANCE = 3               # bodies whose SimHash differs in at most this many bits are re-posts
TITLE_MAX_CHARS = 250                  # a first line longer than this is a paragraph, not a headline

# -- extraction ----------------------------------------------------------------------------------
MAX_PHRASE_WORDS = 12                  # words shown of an indicator phrase
MAX_NAME_WORDS = 4                     # Vietnamese names have 2 to 4 syllables
MAX_TITLE_CHARS = 120                  # a title is read at most this far
DATELINE_VOTES = 5                     # a newspaper dateline ("BHG-") counts as this many province mentions
TOKEN_CONTEXT_BEFORE = 50             # characters of context the token layer reads before a trigger
TOKEN_CONTEXT_AFTER = 30              # … and after it (a counted noun phrase, a title after a name)
TOKEN_LAYER_RELOAD_DOCS = 50000       # the token layer's pipeline is reloaded after this many Docs (memory stays flat)
PROVINCE_MIN_VOTES = 2                 # an article's province needs this many votes and twice the runner-up's

# -- store, exports, web -------------------------------------------------------------------------
BENCH_STORE_BATCH = 50                 # articles per transaction in the benchmark's store stage
EXPORT_CHUNK_ROWS = 5000               # rows per page of an export
API_MAX_LIMIT = 500                    # largest page the API returns
API_MAX_ID = 2**62                     # ids beyond this are refused (64-bit signed in both databases)
MAX_REQUEST_BYTES = 64 * 1024          # larger request bodies are refused (review forms are small)
SESSION_DAYS = 7                       # a sign-in lasts this long
MIN_PASSWORD = 8                       # shortest password accepted
