"""Customer voice: surveys, sentiment, topics of complaints and whether they were followed up."""
