"""Deliberately empty: scoped records and their distribution are not shown in the Django admin.

The admin reads models directly and would bypass the visibility rule of `phoihop.access.rules`;
administrators manage units, users and catalogues, not the records of the forces.
"""
