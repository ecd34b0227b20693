-- Revision 0007, part 2: the measures of a period for every scope (issue 13).
SET LOCAL ROLE cc_owner;
