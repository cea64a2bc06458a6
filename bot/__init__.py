"""Wayfinder: a conversational Information & Referral assistant for behavioral health."""
