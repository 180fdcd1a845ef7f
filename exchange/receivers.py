"""What the documents' events owe the exchange: packages recorded in the same transaction."""
