"""The staff console: advocates' queue, conversations, history; accounts and the live feed."""
