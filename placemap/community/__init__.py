"""Community: workshop steps and links, people's notes, the initiatives register. Pure."""
