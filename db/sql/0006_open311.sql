-- Revision 0006, part 2: Open311 GeoReport v2 (issue 12).
SET LOCAL ROLE cc_owner;
