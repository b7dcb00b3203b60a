"""Appeals to guarantors (an ICRC-like body, the coalition): protection, a safe corridor,
resupply, medical evacuation; their acknowledgement, promises with deadlines, reminders and
outcome. One ledger stream per appeal; its folded state is the appeal's case file."""
