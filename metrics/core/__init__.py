"""The frame every metric stands on: settings, filters, business time, the contact fact."""
