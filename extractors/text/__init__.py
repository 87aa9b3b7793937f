"""Text-export front end: the plan text format (TAB-separated table rows, <i> italics) -> PlanDocument."""
