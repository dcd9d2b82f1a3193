"""Analysis: classification, profiles, comparisons, change, evaluation, priorities, systems, hot spots. Pure."""
