"""Channel connectors: the only part of bot/ that imports Rasa."""
