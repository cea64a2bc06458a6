"""The action server's package (``rasa run actions``): thin adapters from Rasa to ``bot``."""
