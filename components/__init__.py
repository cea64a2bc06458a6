"""Rasa graph components: thin adapters that plug ``bot`` into Rasa's NLU pipeline."""
