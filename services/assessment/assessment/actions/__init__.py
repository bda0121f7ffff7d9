"""Action plans: what an administration does between two assessments, tracked to the next one.

A coordinator builds a plan from an assessment's priorities; each action names the indicators and
recommendations it addresses, an owner among the administration's users, a target date and level,
a status and, once done, its evidence. Owners see and update the actions they own.
"""
