"""Supplies: stores of water, food, fuel and medicine, the generators and pumps that turn
fuel into water, and the runway in days the people inside have left."""
