"""Retention: do customers stay active after a contact, compared across experiences?"""
