"""Article formats: plain text, HTML pages, RSS/Atom feeds, article dumps -> Documents."""
