"""Invitations: every discharged patient is asked, once and neutrally, with at most one reminder (issue 8,
item 7). Asking only the happy ones is review gating; nothing here knows or reads any rating."""
