# Pywikibot settings for this repository. By default the bot works on the local dev wiki
# (`make devwiki`); to work on a real wiki, see "Running on a real wiki" in README.md.
# Never put a password here: credentials live in the git-ignored password file (mode 0600).
import os

family_files = {}
user_families_paths = [os.path.join(base_dir, "wikibot", "families")]  # noqa: F821 (pywikibot provides `base_dir`)
user_script_paths = ["scripts"]

family = os.environ.get("WIKIBOT_FAMILY", "devwiki")
mylang = os.environ.get("WIKIBOT_LANG", "fr")
usernames["devwiki"]["fr"] = "KeepItOnBot"  # noqa: F821 (pywikibot provides `usernames`)
usernames["devwiki"]["en"] = "KeepItOnBot"  # noqa: F821
usernames["devwiki"]["ar"] = "KeepItOnBot"  # noqa: F821
password_file = "user-password.py"

# The dev wiki is local: no pause between requests. On a real wiki keep pywikibot's pauses
# (10 s between saves at least; read with a small delay), as bot policies ask.
if family == "devwiki":
    put_throttle = 0
    minthrottle = 0
else:
    put_throttle = int(os.environ.get("WIKIBOT_PUT_THROTTLE", "10"))
# Pause edits while replicas lag more than this (pywikibot >= 11.8; `maxlag` is deprecated).
write_maxlag = 5
# Retries of a failing request are bounded: then the run ends with one line naming the cause.
max_retries = int(os.environ.get("WIKIBOT_MAX_RETRIES", "5"))
retry_wait = int(os.environ.get("WIKIBOT_RETRY_WAIT", "5"))
retry_max = 60
socket_timeout = (6.05, float(os.environ.get("WIKIBOT_READ_TIMEOUT", "45")))
noisysleep = 60.0
