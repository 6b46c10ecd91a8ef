"""The scoring rules and consistency checks: plain Python over plain data, no Django import.

Models, forms, imports and exports all call these functions; no rule is written twice.
"""
