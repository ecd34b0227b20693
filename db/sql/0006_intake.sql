-- Revision 0006, part 1: call-taking and repeat reports (issue 12).
SET LOCAL ROLE cc_owner;
