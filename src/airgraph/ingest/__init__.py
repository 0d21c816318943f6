"""Ingestors: each turns one kind of input into SourceRecords, knowing nothing of stores."""
