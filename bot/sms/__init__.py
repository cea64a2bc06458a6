"""Text messaging (SMS) for Wayfinder, independent of Rasa.

What a text-message channel needs beyond the conversation itself:

- ``text``: the carrier keywords (STOP, START, HELP...), bot messages rendered
  as plain SMS text (buttons as a numbered list, referral cards as compact
  lines, crisis lines kept), splitting at sentence or paragraph boundaries into
  messages of at most 1,600 characters, and phone-number masking for logs;
- ``store``: opted-out numbers, the Twilio ``MessageSid``s already handled and
  the last numbered menu offered to each number, in the app database;
- ``sender``: Twilio's settings from the environment, and an asynchronous
  sender that delivers in order per recipient and retries transient failures
  with exponential backoff.

``bot/channels/twilio.py`` connects these to Rasa.
"""

from bot.sms.sender import RetryPolicy, TwilioSender, TwilioSettings
from bot.sms.store import SmsStore
from bot.sms.text import (
    MAX_SMS_CHARS,
    Keyword,
    Rendered,
    classify_keyword,
    help_text,
    keyword_and_language,
    mask_phone,
    menu_choice,
    opt_in_text,
    opt_out_text,
    render_message,
    segments,
    split_message,
)

__all__ = [
    "MAX_SMS_CHARS",
    "Keyword",
    "Rendered",
    "RetryPolicy",
    "SmsStore",
    "TwilioSender",
    "TwilioSettings",
    "classify_keyword",
    "help_text",
    "keyword_and_language",
    "mask_phone",
    "menu_choice",
    "opt_in_text",
    "opt_out_text",
    "render_message",
    "segments",
    "split_message",
]
