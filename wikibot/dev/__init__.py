"""Dev tooling: the local MediaWiki (``python -m wikibot.dev.devwiki``) and the demo (``make demo``)."""
