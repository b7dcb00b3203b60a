"""Notifications owed (UN Nelson Mandela Rules 68–72): families on a transfer, a serious
illness or injury, a death; an independent authority on any death, disappearance or
serious injury. They are owed by the events that cause them, and tracked to acknowledgement."""
