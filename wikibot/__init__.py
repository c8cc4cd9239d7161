"""KeepItOn wikibot: keeps wiki lists and statistics of Internet shutdowns current."""
