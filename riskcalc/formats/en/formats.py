"""English dates as the site has always written them ("21 November 2026", "21 Nov 2026, 09:30
UTC"), not Django's US default ("Nov. 21, 2026"); the other languages' folders beside this one
add the time zone to their times and otherwise use Django's formats for their locale."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j M Y, H:i e"
