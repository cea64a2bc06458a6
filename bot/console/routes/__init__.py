"""The console's API, one blueprint per area; what they share is in ``app.ctx`` (see bot.console.app)."""
