"""Language processing: the spaCy pipeline build and our vocabulary."""
