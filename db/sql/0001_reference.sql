-- Reference data every deployment starts from: the vocabularies, the workflow rules, the
-- work calendar, the 13 departments, and a three-level case taxonomy with time limits.
-- Administrators may amend these tables; clients read them, never copy them.
SET LOCAL ROLE cc_owner;

INSERT INTO cc.grid_type (code, name, name_en, sort) VALUES
    ('residential', '住宅', 'Residential', 1),
    ('commercial', '商务商业', 'Commercial', 2),
    ('enterprise', '企事业单位', 'Enterprise / institution', 3),
    ('crowded', '人员密集场所', 'Crowded place', 4);

INSERT INTO cc.management_level (code, name, name_en, sort) VALUES
    ('daily', '日常管理', 'Daily management', 1),
    ('prevention', '一般防范', 'General prevention', 2),
    ('key', '重点关注', 'Key attention', 3),
    ('comprehensive', '综合治理', 'Comprehensive governance', 4);

INSERT INTO cc.force_role (code, name, name_en, is_core, sort) VALUES
    ('grid_manager', '网格管理员', 'Grid manager', true, 1),
    ('grid_assistant', '网格助理员', 'Grid assistant', true, 2),
    ('grid_police', '网格警员', 'Grid police officer', true, 3),
    ('grid_supervisor', '网格督导员', 'Grid supervisor', true, 4),
    ('party_secretary', '网格党支部书记', 'Grid party-branch secretary', true, 5),
    ('judicial_worker', '网格司法工作者', 'Grid judicial worker', true, 6),
    ('grid_firefighter', '网格消防员', 'Grid firefighter', true, 7),
    ('social_security', '社保协管员', 'Social security (X)', false, 11),
    ('trade_union', '工会', 'Trade union (X)', false, 12),
    ('youth_league', '共青团', 'Youth league (X)', false, 13),
    ('womens_federation', '妇联', 'Women''s federation (X)', false, 14),
    ('united_front', '统战', 'United front (X)', false, 15),
    ('social_org', '社会组织', 'Social organisation (X)', false, 16);

INSERT INTO cc.department (id, code, name, name_en) VALUES
    (1, 'public_security', '公安分局', 'Public Security Bureau'),
    (2, 'market', '工商分局', 'Industry and Commerce Bureau'),
    (3, 'traffic', '交通支队', 'Traffic Police Detachment'),
    (4, 'urban_mgmt', '城管执法局', 'Urban Management Enforcement'),
    (5, 'city_command', '城市管理监督指挥中心', 'Urban Management Command Centre'),
    (6, 'fire', '消防支队', 'Fire Brigade'),
    (7, 'health', '卫生监督所', 'Health Inspection'),
    (8, 'justice', '司法局', 'Judicial Bureau'),
    (9, 'housing', '房管局', 'Housing Administration'),
    (10, 'hrss', '人力社保局', 'Human Resources and Social Security'),
    (11, 'statistics', '统计局', 'Statistics Bureau'),
    (12, 'landscaping', '园林绿化局', 'Landscaping Bureau'),
    (13, 'sanitation', '环卫中心', 'Sanitation Centre');

INSERT INTO cc.urgency (code, name, name_en, sort) VALUES
    ('normal', '一般', 'Normal', 1),
    ('urgent', '紧急', 'Urgent', 2),
    ('critical', '特急', 'Critical', 3);

INSERT INTO cc.tier (code, name, name_en, rank) VALUES
    ('grid', '网格微循环', 'Grid micro-loop', 1),
    ('street', '街道小循环', 'Street loop', 2),
    ('district', '区级大循环', 'District loop', 3);

INSERT INTO cc.case_source (code, name, name_en, sort) VALUES
    ('patrol', '网格巡查', 'Patrol terminal', 1),
    ('hotline', '服务热线', 'Hotline', 2),
    ('walk_in', '来访', 'Walk-in', 3),
    ('department', '部门上报', 'Department', 4),
    ('camera', '视频监控', 'Camera', 5);

INSERT INTO cc.case_state (code, name, name_en, is_open, phase, sort) VALUES
    ('reported', '待立案', 'Reported', true, 'file', 1),
    ('filed', '待派遣', 'Filed', true, 'dispatch', 2),
    ('returned', '已退回', 'Returned', true, 'dispatch', 3),
    ('dispatched', '已派遣', 'Dispatched', true, 'handle', 4),
    ('in_progress', '处理中', 'In progress', true, 'handle', 5),
    ('rework', '返工', 'Rework', true, 'handle', 6),
    ('handled', '待核查', 'Handled', true, 'verify', 7),
    ('closed', '已结案', 'Closed', false, NULL, 8),
    ('evaluated', '已评价', 'Evaluated', false, NULL, 9),
    ('rejected', '不予立案', 'Rejected', false, NULL, 10),
    ('cancelled', '已撤销', 'Cancelled', false, NULL, 11);

INSERT INTO cc.workflow_action (code, name, name_en, capability, irreversible, needs_note, sort) VALUES
    ('report', '上报', 'Report', 'reporter', false, false, 1),
    ('report_solved', '自行处置上报', 'Report solved on the spot', 'reporter', false, false, 2),
    ('file', '立案', 'File', 'operator', false, false, 3),
    ('reject', '不予立案', 'Reject', 'operator', true, true, 4),
    ('dispatch', '派遣', 'Dispatch', 'supervisor', false, false, 5),
    ('redispatch', '改派', 'Re-dispatch', 'supervisor', false, false, 6),
    ('accept', '接收', 'Accept', 'handler', false, false, 7),
    ('return', '退回', 'Return', 'handler', false, true, 8),
    ('feedback', '处理反馈', 'Feedback', 'handler', false, true, 9),
    ('verify_pass', '核查通过结案', 'Verify: pass and close', 'supervisor', false, false, 10),
    ('verify_fail', '核查不通过返工', 'Verify: fail (rework)', 'supervisor', false, true, 11),
    ('evaluate', '评价', 'Evaluate', 'supervisor', false, false, 12),
    ('escalate', '上报升级', 'Escalate', 'supervisor', false, true, 13),
    ('urge', '催办', 'Urge', 'operator', false, false, 14),
    ('cancel', '撤销', 'Cancel', 'supervisor', true, true, 15),
    ('attach', '添加照片', 'Attach photo', 'reporter', false, false, 16);

INSERT INTO cc.state_action (from_state, action, to_state) VALUES
    ('reported', 'file', 'filed'),
    ('reported', 'reject', 'rejected'),
    ('reported', 'cancel', 'cancelled'),
    ('filed', 'dispatch', 'dispatched'),
    ('filed', 'escalate', 'filed'),
    ('filed', 'cancel', 'cancelled'),
    ('returned', 'dispatch', 'dispatched'),
    ('returned', 'escalate', 'filed'),
    ('returned', 'cancel', 'cancelled'),
    ('dispatched', 'accept', 'in_progress'),
    ('dispatched', 'return', 'returned'),
    ('dispatched', 'redispatch', 'dispatched'),
    ('dispatched', 'escalate', 'filed'),
    ('dispatched', 'urge', 'dispatched'),
    ('dispatched', 'cancel', 'cancelled'),
    ('in_progress', 'feedback', 'handled'),
    ('in_progress', 'redispatch', 'dispatched'),
    ('in_progress', 'escalate', 'filed'),
    ('in_progress', 'urge', 'in_progress'),
    ('rework', 'feedback', 'handled'),
    ('rework', 'redispatch', 'dispatched'),
    ('rework', 'escalate', 'filed'),
    ('rework', 'urge', 'rework'),
    ('handled', 'verify_pass', 'closed'),
    ('handled', 'verify_fail', 'rework'),
    ('closed', 'evaluate', 'evaluated');

-- Working hours of the district's offices.
INSERT INTO cc.work_period (seq, starts, ends) VALUES (1, '08:30', '12:00'), (2, '13:00', '17:30');

-- 2026 public holidays and make-up working days as published by the State Council's notice
-- on the 2026 holiday arrangements; add each new year's notice when it appears.
INSERT INTO cc.calendar_day (day, is_workday, note)
SELECT d::date, false, n FROM (VALUES
    ('2026-01-01', '2026-01-03', '元旦 New Year'),
    ('2026-02-15', '2026-02-23', '春节 Spring Festival'),
    ('2026-04-04', '2026-04-06', '清明节 Qingming'),
    ('2026-05-01', '2026-05-05', '劳动节 Labour Day'),
    ('2026-06-19', '2026-06-21', '端午节 Dragon Boat Festival'),
    ('2026-09-25', '2026-09-27', '中秋节 Mid-Autumn Festival'),
    ('2026-10-01', '2026-10-07', '国庆节 National Day')
) AS h(a, b, n), generate_series(a::date, b::date, interval '1 day') AS d;
INSERT INTO cc.calendar_day (day, is_workday, note) VALUES
    ('2026-01-04', true, '元旦调休上班 make-up working day'),
    ('2026-02-14', true, '春节调休上班 make-up working day'),
    ('2026-02-28', true, '春节调休上班 make-up working day'),
    ('2026-05-09', true, '劳动节调休上班 make-up working day'),
    ('2026-09-20', true, '国庆节调休上班 make-up working day'),
    ('2026-10-10', true, '国庆节调休上班 make-up working day');

-- ---------------------------------------------------------------- taxonomy
INSERT INTO cc.category (id, parent_id, level, code, name, name_en) VALUES
    (1, NULL, 1, '01', '城市管理', 'City management'),
    (2, NULL, 1, '02', '社会服务', 'Social service'),
    (3, NULL, 1, '03', '网格必报', 'Grid must-report'),
    (11, 1, 2, '0101', '公共设施', 'Public facilities'),
    (12, 1, 2, '0102', '市容环境', 'Environment'),
    (13, 1, 2, '0103', '宣传广告', 'Advertising'),
    (14, 1, 2, '0104', '施工管理', 'Construction'),
    (15, 1, 2, '0105', '街面秩序', 'Street order'),
    (16, 1, 2, '0106', '突发事件', 'Emergencies'),
    (21, 2, 2, '0201', '矛盾纠纷', 'Disputes'),
    (22, 2, 2, '0202', '安全隐患', 'Security hazards'),
    (23, 2, 2, '0203', '特殊人群', 'Special populations'),
    (24, 2, 2, '0204', '民生诉求', 'Livelihood requests'),
    (25, 2, 2, '0205', '热线服务', 'Hotline services'),
    (31, 3, 2, '0301', '九必报', 'Nine must-report items'),
    (32, 3, 2, '0302', '六必到', 'Six must-attend occasions');

-- Items: handler is a grid role or a department; handling limit for normal urgency.
CREATE TEMP TABLE item_src (
    id int, parent int, code text, name text, name_en text, role text, dept text,
    must_report boolean, amount numeric, unit text
) ON COMMIT DROP;
INSERT INTO item_src VALUES
    (101, 11, '010101', '井盖缺损', 'Missing or damaged manhole cover', NULL, 'urban_mgmt', false, 4, 'work_hours'),
    (102, 11, '010102', '路灯损坏', 'Broken street light', NULL, 'urban_mgmt', false, 2, 'work_days'),
    (103, 11, '010103', '道路破损', 'Damaged road surface', NULL, 'urban_mgmt', false, 3, 'work_days'),
    (104, 11, '010104', '健身器材损坏', 'Damaged fitness equipment', NULL, 'landscaping', false, 5, 'work_days'),
    (105, 11, '010105', '消防设施损坏', 'Damaged fire-fighting facility', NULL, 'fire', false, 1, 'work_days'),
    (111, 12, '010201', '暴露垃圾', 'Exposed garbage', NULL, 'sanitation', false, 4, 'work_hours'),
    (112, 12, '010202', '积存垃圾渣土', 'Accumulated refuse or muck', NULL, 'sanitation', false, 1, 'work_days'),
    (113, 12, '010203', '道路不洁', 'Dirty road', NULL, 'sanitation', false, 2, 'work_hours'),
    (114, 12, '010204', '绿地脏乱', 'Littered green space', NULL, 'landscaping', false, 1, 'work_days'),
    (115, 12, '010205', '公厕问题', 'Public toilet problem', NULL, 'sanitation', false, 4, 'work_hours'),
    (121, 13, '010301', '违规张贴小广告', 'Illegal flyers', NULL, 'urban_mgmt', false, 4, 'work_hours'),
    (122, 13, '010302', '违规户外广告', 'Illegal outdoor advertising', NULL, 'urban_mgmt', false, 5, 'work_days'),
    (123, 13, '010303', '占道广告牌', 'Sign board on the pavement', NULL, 'urban_mgmt', false, 1, 'work_days'),
    (131, 14, '010401', '违法建设', 'Illegal construction', NULL, 'urban_mgmt', false, 15, 'work_days'),
    (132, 14, '010402', '施工扰民', 'Construction noise', NULL, 'urban_mgmt', false, 1, 'work_days'),
    (133, 14, '010403', '道路遗撒', 'Spillage from trucks', NULL, 'urban_mgmt', false, 4, 'work_hours'),
    (141, 15, '010501', '无照经营游商', 'Unlicensed street vendor', NULL, 'market', false, 4, 'work_hours'),
    (142, 15, '010502', '店外经营', 'Business spilling onto the street', NULL, 'urban_mgmt', false, 4, 'work_hours'),
    (143, 15, '010503', '乱停车', 'Illegal parking', NULL, 'traffic', false, 2, 'work_hours'),
    (144, 15, '010504', '占道经营', 'Trading on the road', NULL, 'urban_mgmt', false, 4, 'work_hours'),
    (151, 16, '010601', '道路积水', 'Waterlogged road', NULL, 'city_command', false, 2, 'hours'),
    (152, 16, '010602', '燃气泄漏', 'Gas leak', NULL, 'fire', false, 1, 'hours'),
    (153, 16, '010603', '火情', 'Fire', NULL, 'fire', false, 1, 'hours'),
    (154, 16, '010604', '树木倒伏', 'Fallen tree', NULL, 'landscaping', false, 4, 'hours'),
    (211, 21, '020101', '邻里纠纷', 'Neighbour dispute', 'judicial_worker', NULL, false, 3, 'work_days'),
    (212, 21, '020102', '物业纠纷', 'Property management dispute', NULL, 'housing', false, 5, 'work_days'),
    (213, 21, '020103', '劳动纠纷', 'Labour dispute', NULL, 'hrss', false, 10, 'work_days'),
    (214, 21, '020104', '家庭纠纷', 'Family dispute', 'judicial_worker', NULL, false, 3, 'work_days'),
    (221, 22, '020201', '消防隐患', 'Fire hazard', 'grid_firefighter', NULL, false, 1, 'work_days'),
    (222, 22, '020202', '治安隐患', 'Public order hazard', 'grid_police', NULL, false, 1, 'work_days'),
    (223, 22, '020203', '群租房', 'Overcrowded rental', NULL, 'housing', false, 10, 'work_days'),
    (224, 22, '020204', '食品安全隐患', 'Food safety hazard', NULL, 'health', false, 2, 'work_days'),
    (231, 23, '020301', '空巢老人帮扶', 'Help for an empty-nest elder', 'grid_assistant', NULL, false, 2, 'work_days'),
    (232, 23, '020302', '残疾人帮扶', 'Help for a disabled resident', 'grid_assistant', NULL, false, 3, 'work_days'),
    (233, 23, '020303', '社区矫正人员异常', 'Irregularity of a person under community correction', 'judicial_worker', NULL, false, 1, 'work_days'),
    (241, 24, '020401', '供暖问题', 'Heating problem', NULL, 'housing', false, 1, 'work_days'),
    (242, 24, '020402', '停水停电', 'Water or power cut', NULL, 'city_command', false, 4, 'work_hours'),
    (243, 24, '020403', '就业求助', 'Help finding work', NULL, 'hrss', false, 10, 'work_days'),
    (244, 24, '020404', '低保救助咨询', 'Subsistence allowance enquiry', NULL, 'hrss', false, 5, 'work_days'),
    (251, 25, '020501', '老人订餐', 'Meal for an elderly resident', 'grid_assistant', NULL, false, 1, 'hours'),
    (252, 25, '020502', '家政维修服务', 'Housekeeping or repair service', 'grid_assistant', NULL, false, 1, 'work_days'),
    (253, 25, '020503', '就医协助', 'Help getting to a doctor', 'grid_assistant', NULL, false, 2, 'hours'),
    (311, 31, '030101', '公共设施损坏', 'Damaged public facility', 'grid_manager', NULL, true, 1, 'work_days'),
    (312, 31, '030102', '环境脏乱', 'Dirty or disorderly environment', 'grid_manager', NULL, true, 4, 'work_hours'),
    (313, 31, '030103', '新增孕情', 'New pregnancy', 'grid_assistant', NULL, true, 5, 'work_days'),
    (314, 31, '030104', '外来人口流入', 'Inflow of outside population', 'grid_police', NULL, true, 3, 'work_days'),
    (315, 31, '030105', '居民生活重大变故', 'Major change in a resident''s life', 'grid_assistant', NULL, true, 2, 'work_days'),
    (316, 31, '030106', '房屋出租', 'A flat let out', 'grid_police', NULL, true, 3, 'work_days'),
    (317, 31, '030107', '安全隐患', 'Safety hazard', 'grid_firefighter', NULL, true, 1, 'work_days'),
    (318, 31, '030108', '不稳定因素', 'Instability factor', 'grid_supervisor', NULL, true, 1, 'work_days'),
    (319, 31, '030109', '居民意见建议', 'Resident''s suggestion or complaint', 'grid_manager', NULL, true, 5, 'work_days'),
    (321, 32, '030201', '居民遇困', 'Resident in distress', 'party_secretary', NULL, false, 4, 'hours'),
    (322, 32, '030202', '社区突发事件', 'Community emergency', 'grid_manager', NULL, false, 2, 'hours'),
    (323, 32, '030203', '邻里互助', 'Neighbourly mutual aid', 'party_secretary', NULL, false, 2, 'work_days');

INSERT INTO cc.category (id, parent_id, level, code, name, name_en, handler_role, handler_department, must_report)
SELECT id, parent, 3, code, name, name_en, role, dept, must_report FROM item_src;

-- Time limits per urgency. Urgent halves the handling limit; critical handles in clock hours.
INSERT INTO cc.time_limit (category_id, urgency, phase, amount, unit)
SELECT i.id, u.urgency, p.phase, p.amount, p.unit
  FROM item_src i
 CROSS JOIN (VALUES ('normal'), ('urgent'), ('critical')) AS u(urgency)
 CROSS JOIN LATERAL (VALUES
    ('file', CASE u.urgency WHEN 'normal' THEN 1 WHEN 'urgent' THEN 30 ELSE 10 END,
             CASE u.urgency WHEN 'normal' THEN 'work_hours' ELSE 'minutes' END),
    ('dispatch', CASE u.urgency WHEN 'normal' THEN 1 WHEN 'urgent' THEN 30 ELSE 10 END,
                 CASE u.urgency WHEN 'normal' THEN 'work_hours' ELSE 'minutes' END),
    ('handle', CASE u.urgency
                   WHEN 'normal' THEN i.amount
                   WHEN 'urgent' THEN greatest(i.amount / 2, CASE WHEN i.unit = 'work_days' THEN 1 ELSE 0.5 END)
                   ELSE CASE WHEN i.unit IN ('hours', 'minutes') THEN greatest(i.amount / 2, 0.5)
                             WHEN i.unit = 'work_hours' THEN 2 ELSE 24 END END,
               CASE u.urgency WHEN 'critical' THEN
                   CASE WHEN i.unit = 'minutes' THEN 'minutes' ELSE 'hours' END
               ELSE i.unit END),
    ('verify', CASE u.urgency WHEN 'normal' THEN 2 WHEN 'urgent' THEN 1 ELSE 30 END,
               CASE u.urgency WHEN 'critical' THEN 'minutes' ELSE 'work_hours' END)
 ) AS p(phase, amount, unit);
