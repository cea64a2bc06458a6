"""Crisis safety: recognising risk in any message, and the protocol for responding."""
