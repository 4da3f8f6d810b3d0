"""Operations: volume, peaks and forecast, chatbot, security incidents, chat queue and waits."""
