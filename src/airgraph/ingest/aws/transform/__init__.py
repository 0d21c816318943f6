"""Pure transforms from one account's IAM estate and resources into graph records."""
