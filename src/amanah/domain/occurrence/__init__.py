"""The daily occurrence book: timestamped free-text entries by named people."""
