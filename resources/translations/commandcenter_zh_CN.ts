<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActionRunner</name>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="227"/>
        <source>Attach a photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="228"/>
        <source>Images (*.jpg *.jpeg *.png *.webp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.webp)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="241"/>
        <source>This cannot be undone</source>
        <translation>此操作不可撤回</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="242"/>
        <source>%1 for %2? This cannot be undone.</source>
        <translation>对 %2 执行“%1”？此操作不可撤回。</translation>
    </message>
</context>
<context>
    <name>AssessmentDialog</name>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="87"/>
        <source>Two-way assessment</source>
        <extracomment>emitted after a form is stored, with its direction (the summary reloads)</extracomment>
        <translation>条块双向考评</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="98"/>
        <source>A street rates a department&apos;s unit</source>
        <translation>街道评价部门单位</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="99"/>
        <source>A department rates a street</source>
        <translation>部门评价街道</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="105"/>
        <source>Previous half-year</source>
        <translation>上一半年度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="106"/>
        <source>Current half-year</source>
        <translation>本半年度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="107"/>
        <source>Previous year</source>
        <translation>上一年度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="108"/>
        <source>Current year</source>
        <translation>本年度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="110"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="119"/>
        <source>Find: name, pinyin, initials or department</source>
        <translation>查找：名称、拼音、首字母或部门</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="126"/>
        <source>Comment (optional)</source>
        <translation>评语（可选）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="132"/>
        <source>Load those scores</source>
        <translation>载入已评分数</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="138"/>
        <source>Save rating</source>
        <translation>保存评价</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="142"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="146"/>
        <source>Direction</source>
        <translation>考评方向</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="147"/>
        <source>Rating for</source>
        <translation>评价方</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="153"/>
        <source>Period</source>
        <translation>考评期</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="155"/>
        <source>Whom to rate</source>
        <translation>被评对象</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="159"/>
        <source>Scores</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="191"/>
        <source>Loading the form…</source>
        <translation>正在读取考评表…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="218"/>
        <source>This account may not rate: a street sub-centre rates units, a unit&apos;s console rates streets, the district centre&apos;s supervisors record paper forms.</source>
        <translation>本账号不能评价：街道分中心评价部门单位，单位终端评价街道，区指挥中心值班长录入纸质考评表。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="247"/>
        <source>%1 (weight %2)</source>
        <translation>%1（权重 %2）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="350"/>
        <source>Already rated for this period by %1 at %2 (revision %3): saving replaces it.</source>
        <translation>本考评期已由 %1 于 %2 评价（第 %3 版）：保存将替换它。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="370"/>
        <source>Choose whom to rate.</source>
        <translation>请选择被评对象。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="375"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="383"/>
        <source>Saved: %1 (replaces the earlier rating, revision %2).</source>
        <translation>已保存：%1（替换此前的评价，第 %2 版）。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="385"/>
        <source>Saved: %1.</source>
        <translation>已保存：%1。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="403"/>
        <source>The unit, street or department does not exist or lies outside your area.</source>
        <translation>该单位、街道或部门不存在或不在您的辖区内。</translation>
    </message>
</context>
<context>
    <name>AssessmentSummary</name>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="422"/>
        <source>Units rated by the streets</source>
        <translation>街道对部门单位的评价</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="423"/>
        <source>Streets rated by the departments</source>
        <translation>部门对街道的评价</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="456"/>
        <source>Forms for periods overlapping %1 – %2</source>
        <translation>考评期与 %1 – %2 重叠的考评表</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="466"/>
        <source>No assessment forms in this period.</source>
        <translation>本期间没有考评表。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="468"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="468"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="470"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="471"/>
        <source>Raters</source>
        <translation>评价方数</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/assessment.py" line="471"/>
        <source>Score</source>
        <translation>综合得分</translation>
    </message>
</context>
<context>
    <name>BoardModel</name>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="135"/>
        <source>Code</source>
        <extracomment>a batch changing more rows in place than this repaints the view once instead of row by row (a thousand single-row signals cost 30 ms; the view only ever repaints what is on screen)</extracomment>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="135"/>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="135"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="135"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="136"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="136"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="136"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="136"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="137"/>
        <source>Tier</source>
        <translation>层级</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="137"/>
        <source>Assignee</source>
        <translation>承办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="137"/>
        <source>Deadline</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="137"/>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="288"/>
        <source>SUP</source>
        <translation>督</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="290"/>
        <source>HOLD</source>
        <translation>挂</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="292"/>
        <source>EXT?</source>
        <translation>延?</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="294"/>
        <source>EXT%1</source>
        <translation>延%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board_model.py" line="303"/>
        <source>On hold to %1</source>
        <translation>挂账至 %1</translation>
    </message>
</context>
<context>
    <name>BoardView</name>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="56"/>
        <source>All open</source>
        <extracomment>the columns of names, which share a wide screen&apos;s spare width the order the columns are shown in until the operator moves them (a saved layout keeps its own): what a case is and how much time it has left first, so that the countdown is never off the side of the board (in English at 1920 pixels it was cut to a coloured strip)</extracomment>
        <translation>全部在办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="57"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="62"/>
        <source>All streets</source>
        <translation>全部街道</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="67"/>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="72"/>
        <source>Any urgency</source>
        <translation>全部紧急程度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="75"/>
        <source>Overdue only</source>
        <translation>仅看超期</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="79"/>
        <source>Any watch</source>
        <translation>全部督办挂账</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="79"/>
        <source>Under supervision</source>
        <translation>督办中</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="80"/>
        <source>Supervision reply late</source>
        <translation>督办逾期未答复</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="80"/>
        <source>On hold</source>
        <translation>挂账缓办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="81"/>
        <source>Hold review due</source>
        <translation>挂账到期待复核</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="82"/>
        <source>Extension awaiting decision</source>
        <translation>延期待审批</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="87"/>
        <source>Search: code, state, category, street, grid, person — Chinese or pinyin initials  (Ctrl+F)</source>
        <translation>搜索：编号、状态、类别、街道、网格、人员——中文或拼音首字母  (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="90"/>
        <location filename="../../commandcenter/ui/board.py" line="252"/>
        <source>Dispatch selected</source>
        <translation>派遣所选</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="108"/>
        <source>Sound</source>
        <translation>提示音</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="109"/>
        <source>Beep when a new urgent case arrives</source>
        <translation>新紧急案件到达时响铃</translation>
    </message>
    <message numerus="yes">
        <location filename="../../commandcenter/ui/board.py" line="222"/>
        <source>%n case(s) shown</source>
        <translation>
            <numerusform>显示 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/board.py" line="251"/>
        <source>Dispatch selected (%1)</source>
        <translation>派遣所选（%1）</translation>
    </message>
</context>
<context>
    <name>CallbacksView</name>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="38"/>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="38"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="38"/>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="38"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="39"/>
        <source>Due</source>
        <translation>应回访</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="39"/>
        <source>Tries</source>
        <translation>已拨次数</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="47"/>
        <source>1 = very dissatisfied, 5 = very satisfied</source>
        <translation>1 = 非常不满意，5 = 非常满意</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="49"/>
        <source>What the caller said (optional)</source>
        <translation>来电人的意见（可选）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="51"/>
        <source>Reached</source>
        <translation>已接通</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="53"/>
        <source>Not reached</source>
        <translation>未接通</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="58"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="73"/>
        <source>Callbacks are made by operators.</source>
        <translation>回访由受理员进行。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="125"/>
        <source>Recorded: reached.</source>
        <translation>已记录：已接通。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="126"/>
        <source>Recorded: not reached; it comes back later for another try.</source>
        <translation>已记录：未接通，稍后再次回访。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/callbacks.py" line="127"/>
        <source>Recorded: not reached, and no tries are left.</source>
        <translation>已记录：未接通，回访次数已用完。</translation>
    </message>
</context>
<context>
    <name>CaseDetailView</name>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="51"/>
        <source>Select a case on the board or the map</source>
        <translation>请在案件台或地图上选择案件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="67"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="67"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="68"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="68"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="69"/>
        <source>Tier</source>
        <translation>层级</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="69"/>
        <source>Assignee</source>
        <translation>承办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="70"/>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="70"/>
        <source>Deadline</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="71"/>
        <source>Reporter</source>
        <translation>上报人</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="71"/>
        <source>Urged / escalated / rework</source>
        <translation>催办 / 升级 / 返工</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="72"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="72"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="79"/>
        <location filename="../../commandcenter/ui/detail.py" line="235"/>
        <source>No photos</source>
        <translation>无照片</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="87"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="87"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="87"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="87"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="88"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="149"/>
        <source>This case is not visible to you</source>
        <translation>您无权查看此案件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="195"/>
        <source>min, continuous clock</source>
        <translation>分钟，连续计时</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="195"/>
        <source>h, continuous clock</source>
        <translation>小时，紧急工作时</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="196"/>
        <source>working hours</source>
        <translation>工作时</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="196"/>
        <source>working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="209"/>
        <source>answered</source>
        <translation>已答复</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="212"/>
        <source>reply due %1</source>
        <translation>答复期限 %1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="216"/>
        <source>On hold · review %1</source>
        <translation>挂账 · %1 复核</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="219"/>
        <source>Extension awaiting decision</source>
        <translation>延期待审批</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="221"/>
        <source>Extended %1×</source>
        <translation>已延期 %1 次</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="235"/>
        <source>Photos:</source>
        <translation>照片：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="254"/>
        <source>Far view</source>
        <translation>远景</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="254"/>
        <source>Close-up</source>
        <translation>近景</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="255"/>
        <source>Before handling</source>
        <translation>处置前</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="255"/>
        <source>After handling</source>
        <translation>处置后</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="276"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="318"/>
        <source>Your role may not do this</source>
        <translation>您的角色无此权限</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="339"/>
        <source>No connection to the database: actions resume when it is back</source>
        <translation>与数据库的连接已断开：恢复后即可操作</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="383"/>
        <source>Refused by the database:</source>
        <translation>数据库拒绝：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="384"/>
        <source>%1 done, %2 refused:</source>
        <translation>已完成 %1 件，被拒绝 %2 件：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="387"/>
        <source>Done: %1</source>
        <translation>已完成：%1</translation>
    </message>
</context>
<context>
    <name>CasesModel</name>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="192"/>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="192"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="192"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="193"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="193"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="193"/>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="194"/>
        <source>Closed</source>
        <translation>结案时间</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="194"/>
        <source>Counted</source>
        <translation>计数</translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <location filename="../../commandcenter/ui/palette.py" line="30"/>
        <source>Command palette</source>
        <translation>命令面板</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/palette.py" line="35"/>
        <source>Type a command: 派遣, pq, dispatch, F3…</source>
        <translation>输入命令：派遣、pq、dispatch、F3…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/palette.py" line="40"/>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/palette.py" line="40"/>
        <source>Key</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/palette.py" line="65"/>
        <source>Not allowed on the selected case now</source>
        <translation>所选案件当前不允许此操作</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/palette.py" line="72"/>
        <source>%1 command(s) · Enter runs · Esc closes</source>
        <translation>%1 条命令 · Enter 执行 · Esc 关闭</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="24"/>
        <source>Command palette</source>
        <extracomment>the view commands: id, key, English source text (translated in context &quot;Commands&quot;)</extracomment>
        <translation>命令面板</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="25"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="26"/>
        <source>Take a call</source>
        <translation>受理来电</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="27"/>
        <source>Search the board</source>
        <translation>搜索案件台</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="28"/>
        <source>Go to the live case board</source>
        <translation>转到实时案件台</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="29"/>
        <source>Go to the case detail</source>
        <translation>转到案件详情</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="30"/>
        <source>Go to the grid map</source>
        <translation>转到网格地图</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="31"/>
        <source>Go to staffing</source>
        <translation>转到力量配置</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="32"/>
        <source>Go to the key figures</source>
        <translation>转到关键指标</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="33"/>
        <source>Go to the grid card</source>
        <translation>转到网格卡片</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="34"/>
        <source>Go to the callbacks</source>
        <translation>转到回访</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="35"/>
        <source>Open the evaluation</source>
        <translation>打开考核评价</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="36"/>
        <source>Full screen (the view or window in front)</source>
        <translation>全屏（当前视图或窗口）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="37"/>
        <source>Shift handover</source>
        <translation>交接班</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="38"/>
        <source>Hand over and sign out</source>
        <translation>交班并退出</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/commands.py" line="39"/>
        <source>Quit (offers the shift handover first)</source>
        <translation>退出（先提示交接班）</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="48"/>
        <location filename="../../commandcenter/ui/dispatch.py" line="76"/>
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="48"/>
        <source>Re-dispatch</source>
        <translation>改派</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="51"/>
        <source>Loading candidates…</source>
        <translation>正在加载承办候选…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="54"/>
        <source>Assignee</source>
        <translation>承办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="54"/>
        <source>Role / department</source>
        <translation>岗位 / 部门</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="54"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="55"/>
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="55"/>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="59"/>
        <source>Each case to its own recommended assignee</source>
        <translation>每件派给各自的推荐承办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="71"/>
        <source>Instructions for the assignee (optional)</source>
        <translation>给承办的说明（可选）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="73"/>
        <source>Handling deadline</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="74"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="103"/>
        <source>Could not load candidates: %1</source>
        <translation>无法加载承办候选：%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/dispatch.py" line="125"/>
        <source>Recommended first: the grid role or the routed unit the category calls for. Open cases show each candidate&apos;s current load.</source>
        <translation>推荐在前：该类别对应的网格岗位或分派单位。在办数为各候选当前的工作量。</translation>
    </message>
</context>
<context>
    <name>EvaluationPanel</name>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="122"/>
        <source>Today</source>
        <extracomment>events make the measures stale; reading a half-year again costs more than the strip&apos;s day a case chosen from the cases behind a count (the hall brings its detail forward) every reading applied (tests and screenshots wait on it) whether its dock&apos;s tab is the one in front (the hall says; alone, being visible is enough)</extracomment>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="122"/>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="123"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="123"/>
        <source>Half-year</source>
        <translation>半年</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="124"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="135"/>
        <source>The period before</source>
        <translation>上一期间</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="138"/>
        <source>The period after</source>
        <translation>下一期间</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="141"/>
        <source>Territory</source>
        <translation>属地（块）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="142"/>
        <location filename="../../commandcenter/ui/evaluation.py" line="370"/>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="143"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="145"/>
        <source>Print PDF…</source>
        <translation>打印 PDF…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="148"/>
        <source>Period</source>
        <translation>考评期</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="156"/>
        <source>Evaluate</source>
        <translation>考核对象</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="209"/>
        <source>Click a count to list its cases; double-click a case to open it.</source>
        <translation>单击数字列出相关案件；双击案件打开。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="342"/>
        <source>All departments</source>
        <translation>各部门</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="369"/>
        <source>Streets</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="369"/>
        <source>Communities</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="369"/>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="370"/>
        <source>Units</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="370"/>
        <source>People</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="371"/>
        <source>Ranking: %1</source>
        <translation>排名：%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="373"/>
        <source>double-click a row to look inside it</source>
        <translation>双击一行查看下级</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="396"/>
        <source>reading…</source>
        <translation>读取中…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="421"/>
        <source>Not read: %1</source>
        <translation>未能读取：%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="430"/>
        <source>Trend by day</source>
        <translation>按日趋势</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="430"/>
        <source>Trend by week</source>
        <translation>按周趋势</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="431"/>
        <source>Trend by month</source>
        <translation>按月趋势</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="432"/>
        <source>%1 – %2, read at %3</source>
        <translation>%1 至 %2，读取于 %3</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="473"/>
        <source>%1 — %2: %3 cases (double-click one to open it)</source>
        <translation>%1 — %2：%3 件（双击打开）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="522"/>
        <source>Export the ranking</source>
        <translation>导出排名</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="523"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="530"/>
        <source>Print the report to PDF</source>
        <translation>将报告打印为 PDF</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="531"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation.py" line="539"/>
        <source>Not written</source>
        <translation>未能写入</translation>
    </message>
</context>
<context>
    <name>GridCardView</name>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="48"/>
        <source>Click a grid on the map</source>
        <translation>在地图上点击网格</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="54"/>
        <source>Role</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="54"/>
        <location filename="../../commandcenter/ui/grid_card.py" line="97"/>
        <location filename="../../commandcenter/ui/grid_card.py" line="231"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="54"/>
        <location filename="../../commandcenter/ui/grid_card.py" line="98"/>
        <location filename="../../commandcenter/ui/grid_card.py" line="231"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="54"/>
        <source>Employer</source>
        <translation>所属单位</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="60"/>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="60"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="60"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="73"/>
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="83"/>
        <source>Services</source>
        <translation>便民服务</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="93"/>
        <source>Find a resident: name, pinyin initials, phone ending, ID number or building</source>
        <translation>查找居民：姓名、拼音首字母、电话尾号、身份证号或楼栋</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="97"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="97"/>
        <source>Born</source>
        <translation>出生</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="97"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="98"/>
        <source>Work</source>
        <translation>就业</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="98"/>
        <source>Education</source>
        <translation>文化程度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="98"/>
        <source>Marital status</source>
        <translation>婚姻</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="99"/>
        <location filename="../../commandcenter/ui/grid_card.py" line="232"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="116"/>
        <source>Residents</source>
        <translation>居民</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="122"/>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="122"/>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="122"/>
        <source>Last visit</source>
        <translation>上次走访</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="122"/>
        <source>Due</source>
        <translation>应访日期</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="128"/>
        <source>What was seen or done at the door</source>
        <translation>入户所见所做</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="134"/>
        <source>No case to report</source>
        <translation>不上报案件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="138"/>
        <source>Report: %1</source>
        <translation>上报：%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="139"/>
        <source>Record visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="141"/>
        <source>Diary entry</source>
        <translation>民情日志</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="158"/>
        <location filename="../../commandcenter/ui/grid_card.py" line="186"/>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="173"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="182"/>
        <source>Must-visit households %1, overdue %2</source>
        <translation>必访户 %1 户，逾期未访 %2 户</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="184"/>
        <source>grid manager %1</source>
        <translation>网格管理员 %1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="186"/>
        <source>Visits: %1 overdue</source>
        <translation>走访：逾期 %1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="192"/>
        <source>Choose the household first</source>
        <translation>请先选择住户</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="213"/>
        <source>Recorded</source>
        <translation>已记录</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="225"/>
        <source>Find a place or organisation of your street: name, pinyin initials or address</source>
        <translation>查找本街道场所或组织：名称、拼音首字母或地址</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="231"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="231"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="246"/>
        <source>Places</source>
        <translation>场所组织</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="271"/>
        <source>%1 places and organisations</source>
        <translation>场所和组织 %1 个</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="291"/>
        <source>F</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="291"/>
        <source>M</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="301"/>
        <source>%1 found (your street only; at most 20)</source>
        <translation>找到 %1 人（仅本街道，最多 20 人）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="324"/>
        <source>Information base: not loaded (commandcenter demo base)</source>
        <translation>信息库：尚未载入（commandcenter demo base）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="326"/>
        <source>Information base: %1 residents (registered %2 · permanent %3 · floating %4) in %5 households, %6 buildings · must-visit households %7, overdue %8</source>
        <translation>信息库：居民 %1 人（户籍 %2 · 常住非户籍 %3 · 流动 %4），%5 户，%6 栋楼 · 必访户 %7，逾期未访 %8</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="336"/>
        <source>Places %1 (key places %2) · organisations %3</source>
        <translation>场所 %1 个（重点场所 %2 个）· 组织 %3 个</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="349"/>
        <source>Population %1 · households %2 · buildings %3 · area %4 km²</source>
        <translation>人口 %1 · 户数 %2 · 楼栋 %3 · 面积 %4 平方公里</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="356"/>
        <source>Another street&apos;s grid: its staff are not shown to your sub-centre</source>
        <translation>其他街道的网格：其人员信息不向本分中心显示</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="362"/>
        <source>VACANT</source>
        <translation>空缺</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="365"/>
        <source> (off duty)</source>
        <translation>（休）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/grid_card.py" line="378"/>
        <source>Open cases: %1</source>
        <translation>在办案件：%1</translation>
    </message>
</context>
<context>
    <name>HallWindow</name>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="59"/>
        <source>Command hall — %1</source>
        <extracomment>the views Ctrl+1…7 jump to, in that order (ui/commands.py names their keys)</extracomment>
        <translation>指挥大厅 — %1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="87"/>
        <source>Key figures</source>
        <translation>关键指标</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="90"/>
        <source>Live case board</source>
        <translation>实时案件台</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="91"/>
        <source>Grid map</source>
        <translation>网格地图</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="92"/>
        <source>Case detail</source>
        <translation>案件详情</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="93"/>
        <source>Grid card</source>
        <translation>网格卡片</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="96"/>
        <source>Staffing</source>
        <translation>力量配置</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="98"/>
        <source>Callbacks</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="102"/>
        <source>Evaluation</source>
        <translation>考核评价</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="125"/>
        <source>Signed in as %1</source>
        <translation>当前用户：%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="131"/>
        <source>working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="136"/>
        <source>New urgent case: %1 %2</source>
        <translation>新紧急案件：%1 %2</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="207"/>
        <source>Shift handed over (#%1)</source>
        <extracomment>nothing saved for this workstation yet: the hall takes the whole screen it opens on</extracomment>
        <translation>已交班（#%1）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="222"/>
        <source>Handover #%1 acknowledged</source>
        <translation>已确认交接班 #%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="232"/>
        <source>Could not read the previous shift&apos;s handover: %1</source>
        <translation>无法读取上一班的交接班记录：%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="385"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="387"/>
        <source>Two-way assessment…</source>
        <translation>条块双向考评…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="396"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="402"/>
        <source>Move to screen</source>
        <translation>移到屏幕</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="406"/>
        <source>&amp;Layouts</source>
        <translation>布局(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="407"/>
        <source>Save layout as…</source>
        <translation>布局另存为…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="410"/>
        <source>Restore layout</source>
        <translation>恢复布局</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="412"/>
        <source>Delete layout</source>
        <translation>删除布局</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="414"/>
        <source>Default layout</source>
        <translation>默认布局</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="418"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="541"/>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="vanished">快捷键</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="425"/>
        <source>Main window</source>
        <translation>主窗口</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="430"/>
        <source>Screen %1 (%2×%3)</source>
        <translation>屏幕 %1（%2×%3）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="442"/>
        <location filename="../../commandcenter/ui/main_window.py" line="446"/>
        <source>Save layout</source>
        <translation>保存布局</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="442"/>
        <source>Name of this layout:</source>
        <translation>布局名称：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="447"/>
        <source>A layout name has at most 60 characters and no slashes.</source>
        <translation>布局名称最多 60 个字符，且不能含斜杠。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="512"/>
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="518"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="522"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="526"/>
        <source>Reconnecting — data as of %1</source>
        <translation>正在重连 — 数据截至 %1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="533"/>
        <source>No events yet</source>
        <translation>尚无事件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="536"/>
        <source>Last event %1 (#%2)</source>
        <translation>最新事件 %1（#%2）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/main_window.py" line="539"/>
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
</context>
<context>
    <name>Handover</name>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="33"/>
        <source>Shift %1 – %2</source>
        <translation>班次 %1 – %2</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="35"/>
        <source>This console: %1 taken · %2 filed · %3 dispatched · %4 closed</source>
        <translation>本席位：受理 %1 · 立案 %2 · 派遣 %3 · 结案 %4</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="38"/>
        <source>Still open in your scope: %1 · urgent %2 · under supervision %3 · overdue %4</source>
        <translation>辖区内仍未办结：%1 · 紧急 %2 · 督办中 %3 · 超期 %4</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="43"/>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="44"/>
        <source>Under supervision</source>
        <translation>督办中</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="45"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="54"/>
        <source>… and %1 more on the board</source>
        <translation>……另有 %1 件见案件台</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="73"/>
        <source>Shift handover (交接班)</source>
        <translation>交接班</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="73"/>
        <location filename="../../commandcenter/ui/shift_handover.py" line="86"/>
        <source>Hand over and sign out</source>
        <translation>交班并退出</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="76"/>
        <source>Counting this shift…</source>
        <translation>正在统计本班次…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="79"/>
        <source>Handover note for the next operator: what to watch, who to call back…</source>
        <translation>给下一班的交接说明：需关注的事项、需回电的人…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="86"/>
        <source>Hand over</source>
        <translation>交班</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="92"/>
        <source>Quit without a handover</source>
        <translation>不交班直接退出</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="102"/>
        <source>Note (optional):</source>
        <translation>备注（可选）：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="121"/>
        <source>%1 characters; at most %2</source>
        <translation>%1 个字符；最多 %2 个</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="123"/>
        <source>Take a call</source>
        <translation>受理来电</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="153"/>
        <source>Street, community or grid — Chinese, pinyin or initials</source>
        <translation>街道、社区或网格——汉字、拼音或首字母</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="156"/>
        <source>Not chosen yet: search a place, or click the map</source>
        <translation>尚未选择：搜索地点，或在地图上点选</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="159"/>
        <source>Category — Chinese, pinyin, initials or English</source>
        <translation>案件类别——汉字、拼音、首字母或英文</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="173"/>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="173"/>
        <location filename="../../commandcenter/ui/intake.py" line="209"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="173"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="173"/>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="174"/>
        <source>Reports</source>
        <translation>上报次数</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="179"/>
        <source>Possible duplicates: choose a place and a category</source>
        <translation>疑似重复：请先选择地点和类别</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="191"/>
        <source>Report and file  Ctrl+Enter</source>
        <translation>上报并立案  Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="193"/>
        <source>Report only</source>
        <translation>仅上报</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="194"/>
        <source>Add to the chosen case  Ctrl+D</source>
        <translation>并入所选案件  Ctrl+D</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="196"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="199"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="203"/>
        <source>Caller, phone</source>
        <translation>来电人、电话</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="204"/>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="206"/>
        <source>What</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="208"/>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="210"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="257"/>
        <source>Call time %1</source>
        <translation>通话时长 %1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/intake.py" line="285"/>
        <source>Point on the map</source>
        <translation>地图选点</translation>
    </message>
    <message numerus="yes">
        <location filename="../../commandcenter/ui/intake.py" line="346"/>
        <source>Possible duplicates: %n open case(s) of this item nearby</source>
        <translation>
            <numerusform>疑似重复：附近有 %n 件同类在办案件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KpiStrip</name>
    <message>
        <location filename="../../commandcenter/ui/kpi.py" line="176"/>
        <source>Reported today</source>
        <translation>今日上报</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/kpi.py" line="176"/>
        <source>Filed today</source>
        <translation>今日立案</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/kpi.py" line="177"/>
        <source>Dispatched today</source>
        <translation>今日派遣</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/kpi.py" line="177"/>
        <source>Closed today</source>
        <translation>今日结案</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/kpi.py" line="178"/>
        <source>Open now</source>
        <translation>当前在办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/kpi.py" line="178"/>
        <source>Overdue now</source>
        <translation>当前超期</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/kpi.py" line="179"/>
        <source>On-time closure (30 d)</source>
        <translation>按期结案率（30天）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/kpi.py" line="185"/>
        <source>Streets: open (blue) and overdue (red)</source>
        <translation>各街道：在办（蓝）与超期（红）</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="39"/>
        <source>Sign in — command hall</source>
        <translation>登录 — 指挥大厅</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="55"/>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="56"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="58"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="62"/>
        <source>Grid Service Management Command Hall</source>
        <translation>网格化服务管理指挥大厅</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="67"/>
        <source>Demo district: the demo accounts and their passwords are listed by commandcenter demo accounts.</source>
        <translation>演示区：演示账号及密码可用 commandcenter demo accounts 查看。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="97"/>
        <source>Building the demo district failed: %1</source>
        <translation>生成演示区失败：%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="109"/>
        <source>Building the demo district…</source>
        <translation>正在生成演示区…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="114"/>
        <source>Building the demo district: %p%</source>
        <translation>正在生成演示区：%p%</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="123"/>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="145"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="147"/>
        <source>This account is disabled. Ask an administrator to enable it.</source>
        <translation>该账号已停用，请联系管理员启用。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="149"/>
        <source>This login has no console account. Ask an administrator to register it.</source>
        <translation>该登录名没有控制台账号，请联系管理员登记。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/login.py" line="151"/>
        <source>Cannot sign in: %1</source>
        <translation>无法登录：%1</translation>
    </message>
</context>
<context>
    <name>LoopDialog</name>
    <message>
        <location filename="../../commandcenter/ui/loop_dialogs.py" line="63"/>
        <source>New handling deadline:</source>
        <extracomment>the actions this dialog asks for (the others need a note at most: NoteDialog)</extracomment>
        <translation>新的处置期限：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/loop_dialogs.py" line="64"/>
        <source>Granted deadline:</source>
        <translation>批准的期限：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/loop_dialogs.py" line="65"/>
        <source>Reply due by:</source>
        <translation>答复期限：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/loop_dialogs.py" line="67"/>
        <source>As requested</source>
        <translation>按申请的期限</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/loop_dialogs.py" line="82"/>
        <source>Review on:</source>
        <translation>复核日期：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/loop_dialogs.py" line="89"/>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/loop_dialogs.py" line="89"/>
        <source>Level:</source>
        <translation>级别：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/loop_dialogs.py" line="92"/>
        <source>Reason (required):</source>
        <translation>理由（必填）：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/loop_dialogs.py" line="92"/>
        <source>Note (optional):</source>
        <translation>备注（选填）：</translation>
    </message>
</context>
<context>
    <name>MapLegend</name>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="42"/>
        <source>%1 open cases</source>
        <translation>%1 件在办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="45"/>
        <source>%1k residents per km²</source>
        <translation>每平方公里 %1 千人</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="54"/>
        <source>Markers</source>
        <translation>标注</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="62"/>
        <source>no figure</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="64"/>
        <source>provider ≤ 15 min walk</source>
        <translation>步行15分钟内有服务商</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="64"/>
        <source>none within 15 min</source>
        <translation>15分钟内无服务商</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="66"/>
        <source>%1 people</source>
        <translation>%1 人</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="67"/>
        <source>%1 overdue visits</source>
        <translation>逾期未访 %1 户</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="82"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="85"/>
        <source>District outline</source>
        <translation>区界</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="85"/>
        <source>Street outlines</source>
        <translation>街道边界</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="86"/>
        <source>Community outlines</source>
        <translation>社区边界</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="86"/>
        <source>Grid outlines</source>
        <translation>网格边界</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="87"/>
        <source>Labels</source>
        <translation>标注</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="87"/>
        <source>Case markers</source>
        <translation>案件标注</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="88"/>
        <source>Staff positions</source>
        <translation>人员位置</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="88"/>
        <source>Case density</source>
        <translation>案件密度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="97"/>
        <source>Grid fill</source>
        <translation>网格填色</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="100"/>
        <source>Open-case load</source>
        <translation>在办案件量</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="101"/>
        <source>Special populations</source>
        <translation>特殊人群</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="101"/>
        <source>Overdue visits</source>
        <translation>逾期未访</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="102"/>
        <source>Grid type</source>
        <translation>网格类型</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="100"/>
        <source>Population density</source>
        <translation>人口密度</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="102"/>
        <source>Service coverage</source>
        <translation>便民服务覆盖</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="103"/>
        <source>Management level</source>
        <translation>管理等级</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="103"/>
        <source>No fill</source>
        <translation>不填色</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="111"/>
        <source>Grids with no provider of this kind within a 15-minute walk</source>
        <translation>步行15分钟内没有此类服务商的网格</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="117"/>
        <source>Markers by</source>
        <translation>标注依据</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="120"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/map_panel.py" line="120"/>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../commandcenter/ui/map_view.py" line="297"/>
        <source>Population %1 · open cases %2</source>
        <translation>人口 %1 · 在办案件 %2</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="112"/>
        <source>Reason (required):</source>
        <translation>原因（必填）：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="112"/>
        <source>Note (optional):</source>
        <translation>备注（可选）：</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="119"/>
        <source>Satisfaction (1 = very dissatisfied, 5 = very satisfied):</source>
        <translation>满意度（1 = 很不满意，5 = 很满意）：</translation>
    </message>
</context>
<context>
    <name>PendingHandoverDialog</name>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="150"/>
        <source>Handover from the previous shift (交接班)</source>
        <translation>上一班的交接班</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="151"/>
        <source>Handed over by %1 at %2</source>
        <translation>%1 于 %2 交班</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="153"/>
        <source>(no note)</source>
        <translation>（无说明）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="161"/>
        <source>Acknowledge  Enter</source>
        <translation>确认接班  Enter</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shift_handover.py" line="165"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>PhotoDialog</name>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="420"/>
        <source>Loading the photo…</source>
        <extracomment>how large a thumbnail shows in the detail (the stored one fits 240 × 240)</extracomment>
        <translation>正在读取照片…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="442"/>
        <source>This photo cannot be shown</source>
        <translation>无法显示此照片</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/detail.py" line="452"/>
        <source>The photo could not be read: %1</source>
        <translation>无法读取照片：%1</translation>
    </message>
</context>
<context>
    <name>PhotoTagDialog</name>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="155"/>
        <source>Attach a photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="158"/>
        <source>View: not said</source>
        <translation>视角：未注明</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="158"/>
        <source>Far view (远景)</source>
        <translation>远景</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="159"/>
        <source>Near view (近景)</source>
        <translation>近景</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="163"/>
        <source>Stage: not said</source>
        <translation>阶段：未注明</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="163"/>
        <source>Before handling (处置前)</source>
        <translation>处置前</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="164"/>
        <source>After handling (处置后)</source>
        <translation>处置后</translation>
    </message>
</context>
<context>
    <name>RankingModel</name>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="93"/>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="93"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="93"/>
        <source>Score</source>
        <translation>综合得分</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_model.py" line="127"/>
        <source>Click to list these cases</source>
        <translation>单击列出这些案件</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="77"/>
        <location filename="../../commandcenter/ui/assessment.py" line="404"/>
        <source>Database: %1</source>
        <extracomment>keyboard first: every action has a key (shown on its button and tooltip)</extracomment>
        <translation>数据库说明：%1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="82"/>
        <source>The case&apos;s current state does not allow this action.</source>
        <translation>案件当前状态不允许此操作。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="84"/>
        <source>Someone else changed the case first: reload it and decide again.</source>
        <translation>案件已被他人先行修改：请刷新后重新处理。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="86"/>
        <source>Unknown case category, or the category has no time limit.</source>
        <translation>案件类别不存在，或该类别未设置时限。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="88"/>
        <source>The position lies outside the district or outside the chosen grid.</source>
        <translation>位置不在本区或不在所选网格内。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="90"/>
        <source>The photo was not accepted: it is empty, too large, one too many, or not JPEG, PNG or WebP.</source>
        <translation>照片未被接受：为空、过大、超出张数，或不是 JPEG、PNG、WebP 格式。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="93"/>
        <source>The case does not exist or lies outside your area.</source>
        <translation>案件不存在或不在您的管辖范围内。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="95"/>
        <source>An entry was not accepted.</source>
        <translation>有输入内容未被接受。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/actions.py" line="97"/>
        <source>Your account may not do this.</source>
        <translation>您的账号无权执行此操作。</translation>
    </message>
</context>
<context>
    <name>Screenshot</name>
    <message>
        <location filename="../../commandcenter/ui/app.py" line="274"/>
        <source>Two overdue cases on Donghuamen Street need a call to the sanitation station before 10:00.</source>
        <extracomment>a start reads known names&apos; pinyin from the cache; pypinyin itself is loaded this long after the window is up, off the GUI thread, for the names met later (domain.pinyin)</extracomment>
        <translation>东华门街道两件超期案件：10:00 前请致电环卫所。</translation>
    </message>
</context>
<context>
    <name>ServicesPanel</name>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="61"/>
        <source>Provider</source>
        <extracomment>who calls and what they said, when the panel places a request: (name, phone, note)</extracomment>
        <translation>服务商</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="61"/>
        <source>Walk</source>
        <translation>步行</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="61"/>
        <source>Open until</source>
        <translation>营业至</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="61"/>
        <location filename="../../commandcenter/ui/services.py" line="101"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="62"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="74"/>
        <source>Order from the chosen provider</source>
        <translation>向所选服务商派单</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="79"/>
        <source>Service</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="97"/>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="105"/>
        <source>What the caller needs (optional)</source>
        <translation>来电人需求（选填）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="134"/>
        <source>Choose the caller&apos;s place first</source>
        <translation>请先选择来电人位置</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="147"/>
        <source>closed now</source>
        <translation>已打烊</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="149"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="153"/>
        <source>%1 m in a straight line</source>
        <translation>直线距离 %1 米</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="164"/>
        <source>%1 open now, nearest first; %2 within a %3-minute walk</source>
        <translation>当前营业 %1 家，由近到远；步行 %3 分钟内 %2 家</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="166"/>
        <source>No provider of this service is open now</source>
        <translation>此项服务当前没有营业的服务商</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/services.py" line="189"/>
        <source>Ordered: the case follows the provider until it reports the service done</source>
        <translation>已派单：案件跟踪至服务商反馈服务完成</translation>
    </message>
</context>
<context>
    <name>ShortcutList</name>
    <message>
        <location filename="../../commandcenter/ui/shortcut_list.py" line="20"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shortcut_list.py" line="23"/>
        <source>Key</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shortcut_list.py" line="23"/>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/shortcut_list.py" line="30"/>
        <source>The same commands are in the command palette (Ctrl+K), found by typing.</source>
        <translation>这些命令也在命令面板（Ctrl+K）中，输入即可查找。</translation>
    </message>
</context>
<context>
    <name>StaffingView</name>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="50"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="52"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="65"/>
        <source>Grids × roles</source>
        <translation>网格 × 岗位</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="66"/>
        <source>People with several posts</source>
        <translation>一人多岗</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="85"/>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="107"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="107"/>
        <source>X forces</source>
        <translation>X 力量</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="120"/>
        <source>vacant</source>
        <translation>空缺</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="125"/>
        <source>(off)</source>
        <translation>（休）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="135"/>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="149"/>
        <source>%1 grids · %2 vacant posts</source>
        <translation>%1 个网格 · %2 个岗位空缺</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="155"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="155"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="155"/>
        <source>Roles</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="155"/>
        <source>Grids</source>
        <translation>网格数</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/staffing.py" line="156"/>
        <source>Grid codes</source>
        <translation>网格编码</translation>
    </message>
</context>
<context>
    <name>StartupSplash</name>
    <message>
        <location filename="../../commandcenter/ui/splash.py" line="18"/>
        <source>Grid service management command hall</source>
        <translation>网格化服务管理指挥大厅</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/splash.py" line="20"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/splash.py" line="36"/>
        <source>Starting the database… (the first start creates it: a few seconds)</source>
        <translation>正在启动数据库…（首次启动需创建数据库，约需数秒）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/splash.py" line="39"/>
        <source>Checking the database and bringing it up to date…</source>
        <translation>正在检查数据库并升级到最新版本…</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../commandcenter/ui/evaluation_trend.py" line="38"/>
        <source>Closure rate (%)</source>
        <translation>结案率 (%)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_trend.py" line="41"/>
        <source>On-time closure rate (%)</source>
        <translation>按期结案率 (%)</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_trend.py" line="42"/>
        <source>Filed</source>
        <translation>立案数</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/evaluation_trend.py" line="43"/>
        <source>Closed</source>
        <translation>结案数</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="47"/>
        <source>Wall display — %1</source>
        <translation>大屏 — %1</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="48"/>
        <source>%1 Grid Service Management Command Centre</source>
        <translation>%1网格化服务管理指挥中心</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="83"/>
        <source>Reported today</source>
        <translation>今日上报</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="83"/>
        <source>Closed today</source>
        <translation>今日结案</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="84"/>
        <source>Open now</source>
        <translation>当前在办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="84"/>
        <source>Overdue now</source>
        <translation>当前超期</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="85"/>
        <source>Dispatched today</source>
        <translation>今日派遣</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="86"/>
        <source>On-time closure (30 d)</source>
        <translation>按期结案率（30天）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="87"/>
        <source>Under supervision</source>
        <translation>督办中</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="88"/>
        <source>Supervision reply late</source>
        <translation>督办逾期未答复</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="89"/>
        <source>On hold</source>
        <translation>挂账缓办</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="100"/>
        <source>Newest cases</source>
        <translation>最新案件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="104"/>
        <source>Overdue — longest first</source>
        <translation>超期案件 — 超期最久在前</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="111"/>
        <source>Streets: open (blue) and overdue (red)</source>
        <translation>各街道：在办（蓝）与超期（红）</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="147"/>
        <source>Leave the wall display?</source>
        <translation>退出大屏显示？</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="148"/>
        <source>The hall&apos;s big screen goes dark until the wall is started again.</source>
        <translation>退出后大厅大屏将黑屏，直到再次启动大屏显示。</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="151"/>
        <source>Leave</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="152"/>
        <source>Stay</source>
        <translation>留在大屏</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="224"/>
        <source>Focus: %1 — %2 open, %3 overdue</source>
        <translation>焦点：%1 — 在办 %2 件，超期 %3 件</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="244"/>
        <source>LIVE</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="250"/>
        <source>DATABASE UNREACHABLE — showing data as of %1, reconnecting…</source>
        <translation>数据库无法连接 — 显示 %1 时的数据，正在重连…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="252"/>
        <source>Connecting to the database…</source>
        <translation>正在连接数据库…</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="254"/>
        <source>DATA STALE — no contact since %1</source>
        <translation>数据已过期 — 自 %1 起未收到更新</translation>
    </message>
    <message>
        <location filename="../../commandcenter/ui/wall.py" line="257"/>
        <source>OFFLINE</source>
        <translation>离线</translation>
    </message>
</context>
</TS>
