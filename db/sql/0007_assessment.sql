-- Revision 0007, part 3: two-way assessment (条块双向考评, issue 13).
SET LOCAL ROLE cc_owner;
