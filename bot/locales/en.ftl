# Bot texts in English (on request; Russian is the default).

## Linking
start-unlinked = Hello! This is the school's electronic journal.
    To connect, send the invite code from the class teacher or the journal admin, e.g.: /start AB3K7QXZ
start-linked = Hello, { $name }! Choose an action in the menu below.
linked-guardian = Hello, { $name }! This chat is connected to the journal. Your children: { $children }.
    Marks, homework and school messages will come here.
linked-staff = Hello, { $name }! This chat is connected to the journal. Start with /today.
code-slowed = Too many wrong codes. Try again in { $minutes } min. Ask the class teacher for the code.
unlinked = This chat is unlinked from the journal. To connect again, send a new code: /start CODE
not-linked = This chat is not connected to the journal yet. Send your invite code, e.g.: /start AB3K7QXZ
only-teachers = This command is for teachers. Parents: /diary, /absent.
only-guardians = This command is for parents. Teachers: /today.
only-deputy = Journal control is for the deputy head, the director and the admin.
outdated = This button is outdated — nothing changed. Open the action again.
error-internal = Something went wrong; we are on it. Please try again a bit later.
unknown-command = No such command. { $examples }
unknown-text = I did not understand. { $examples }
examples-teacher = For example: "Ivanov 5, Petrov 4/5, Sidorova н" — marks for the current lesson; /today — lessons; /hw §12 No. 3 — homework.
examples-guardian = For example: /diary — diary, /absent — the child will be absent, /write — write to a teacher.

## Menu
menu-today = 📋 Today
menu-attendance = ✅ Attendance
menu-control = 🔎 Control
menu-diary = 📖 Diary
menu-timetable = 📅 Timetable
menu-absence = 🚫 Child will be absent
menu-write = ✉️ Write to a teacher
menu-inbox = 📨 Messages
menu-settings = ⚙️ Settings

## Lessons
lesson-title = { $n }. { $time } { $subject }, { $cls }
lesson-title-sub = { $n }. { $time } { $subject }, { $cls } (substitution)
today-title = Today's lessons:
today-hint = Tap a lesson to open it.
today-empty = You have no lessons today.
choose-lesson = Choose a lesson:
no-current-lesson = No lesson now: you have no lessons today. Open /today.
lesson-complete = ✔️ all filled in
lesson-missing = ⚠️ missing: { $what }
missing-attendance = attendance
missing-topic = topic
missing-homework = homework
missing-control-marks = control work marks
missing-control_marks = control work marks
card-topic = Topic
card-homework = Homework
card-form = Form of control
card-hint = Marks in one line: "Ivanov 5, Petrov 4/5". Topic: /topic …, homework: /hw …
btn-attendance = ✅ Attendance
btn-form = 📝 Form of control
btn-hw-none = Homework: none
btn-other-lesson = ↔️ Another lesson
hw-none = none
hw-none-saved = Saved: no homework.
topic-usage = Write the topic after the command, e.g.: /topic Adding fractions
hw-usage = Write the homework after the command, e.g.: /hw §12, No. 3, 5
topic-saved = Topic saved: { $lesson }
hw-saved = Homework saved: { $lesson }
substitution = substitution

## Attendance
att-title = Attendance
att-hint = Tap a pupil: ✅ present → ❌ absent → ⏰ late.
att-absent = absent
att-late = late
att-btn-all = 👌 Everyone here
att-btn-save = 💾 Save
att-all-present = Everyone is here
att-saved-short = Saved
att-saved = Attendance saved: absent { $absent }, late { $late }.
att-absent-list = Absent
att-late-list = Late

## Marks
marks-problems = Nothing saved — please fix the line:
marks-unreadable = could not read "{ $piece }": a surname and a mark are needed
marks-unknown = no pupil "{ $name }" in { $cls }
marks-twice = one pupil is named twice
marks-empty = the line has no marks
marks-example = Example: Ivanov 5, Petrov 4/5, Sidorova н
marks-ambiguous = "{ $name }" — whom did you mean?
marks-echo = Check the marks for { $lesson }:
marks-form = Form of control: { $form } (weight { $weight })
marks-absent = absent (н)
btn-confirm = ✅ Confirm
btn-edit = ✏️ Edit
marks-edit = OK, nothing saved. Send the line again.
marks-saved-short = Saved
marks-saved = Saved: { $marks } marks, { $absent } absent.
control-all-marked = Control work: every present pupil has a mark.
control-missing = Control work: still without a mark — { $list }.
kr-current = Form of control: { $form } (weight { $weight })
kr-none = No form of control chosen (weight 1).
kr-choose = Choose the form of control:
kr-set = Form of control: { $form }, weight { $weight }.

## Corrections
fix-none = You have not given any marks yet.
fix-choose = Which mark to correct?
fix-ask = { $pupil }: now { $value }. Write the new mark (e.g. 4 or 4/5).
fix-done = Corrected: { $pupil } — { $value }. The old value stays in the history.

## Class teacher
class-none = You are not a class teacher this school year.
class-teacher = Class teacher
ct-title = Class { $cls }
ct-btn-all = ✉️ All parents of { $cls }
ct-btn-pupil = 👤 One pupil's parents
ct-btn-absences = 🗓 Absences this week
ct-choose-pupil = Which pupil's parents?
ct-ask-class = Write the message for the parents of the class. They will see an "Acknowledged" button.
ct-ask-pupil = Write the message for the pupil's parents. They will see an "Acknowledged" button.
ct-sent = Message sent.
ack-count = Acknowledged: { $acknowledged } · not yet: { $pending } · not connected: { $notLinked }
btn-refresh = 🔄 Refresh
rs-title = Absences { $from }–{ $to }:
rs-none = No absences { $from }–{ $to }.
rs-unknown = no reason yet
rs-saved = Reason: { $reason }
reason-EXCUSED = excused
reason-ILLNESS = illness
reason-UNEXCUSED = unexcused

## Control
control-title = Not filled in on time ({ $from }–{ $to }):
control-clean = { $from }–{ $to }: every lesson was filled in on time.
control-more = …and more; see the web journal for the full report.

## Diary
choose-child = Choose a child:
no-children = No children are linked to you. Please ask the class teacher.
diary-today = 📖 { $child }, { $date }:
diary-week = 📖 { $child }, week { $from }–{ $to }:
timetable-week = 📅 Timetable: { $child }, { $from }–{ $to }
diary-empty = No lessons.
diary-absent = absent
diary-late = late
btn-today = Today
btn-week = Week
btn-subjects = 📊 Marks by subject
btn-periods = 🏁 Period marks
btn-other-child = 👧 Another child
choose-subject = { $child }: choose a subject.
subject-title = 📊 { $child }, { $subject } ({ $period }):
subject-no-marks = No marks yet.
subject-average = Average
subject-lift = To reach { $target }: a { $mark } ({ $forms }) — the average becomes { $average }.
subject-weight = weight { $weight }
subject-no-lift = One mark cannot lift the average to the next whole mark.
periods-title = 🏁 { $child }: period marks
periods-none = Period marks for { $child } are not published yet.
wd-1 = Mon
wd-2 = Tue
wd-3 = Wed
wd-4 = Thu
wd-5 = Fri
wd-6 = Sat
wd-7 = Sun

## Absence
abs-when = When will { $child } be absent?
abs-today = Today
abs-tomorrow = Tomorrow
abs-two-days = Today and tomorrow
abs-week = 5 days
abs-why = { $child }, { $from }–{ $to }. Reason?
abs-done = The class teacher will be told: { $from }–{ $to }, reason — { $reason }.

## Messages
inbox-empty = No new messages.
btn-ack = ✅ Acknowledged
btn-reply = ↩️ Reply
ack-thanks = Thank you, marked as acknowledged.
reply-ask = Write your reply in one message.
write-whom = Whom to write about { $child }?
write-ask = Write your message in one text.
message-sent = Message sent.

## Settings
set-title = ⚙️ Notifications:
set-kind-marks = marks
set-kind-homework = homework
set-kind-absences = absences
set-kind-messages = messages
set-mode-instant = Mode: instantly
set-mode-digest = Mode: daily digest at { $time }
set-quiet-school = Quiet hours: { $start }–{ $end } (school's)
set-quiet-own = Quiet hours: { $start }–{ $end }
set-lang-current = Language: English
set-btn-digest = 📰 Daily digest
set-btn-instant = ⚡ Instantly
set-btn-digest-time = 🕖 Digest time
set-btn-quiet = 🌙 Quiet hours
set-btn-lang = 🌐 Русский
set-btn-unlink = 🔌 Unlink chat
set-digest-ask = When should the digest come? E.g.: 19:30
set-quiet-ask = Quiet hours — from when to when? E.g.: 22:00-07:30, or "no" for the school's.
set-saved = Saved.
today-usage = Give a day: /today, /today yesterday or /today 23.11
day-title = Lessons on { $date }:
day-empty = You have no lessons on { $date }.

# Groups: the bot works with personal data in private chats only.
group-private-only = In groups the bot shows no diaries, marks or messages: every member would see them. Write to the bot in a private chat: @{ $bot }
group-button = This button works only in a private chat with the bot.
# Several people linked in one chat (children in several schools).
choose-settings = Whose settings?
settings-of = { $name }, { $school }
btn-pdf = 📄 PDF
btn-chart = 📈 Chart
control-pdf-caption = Journal control report: { $period }.
btn-absences-pdf = 📄 Absences (PDF)
btn-slips-pdf = 🎟 Invitations (PDF)
absences-pdf-caption = This week's absences, the page for the deputy head.
slips-pdf-caption = Invitation slips for guardians: { $count }. Hand them out at the meeting.
slips-none = Every guardian of the class is already linked or gets the code elsewhere.
