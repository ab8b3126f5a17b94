"""English dates as the site has always written them ("21 November 2026"), not Django's US
default ("Nov. 21, 2026"); the other languages use Django's formats for their locale."""

DATE_FORMAT = "j F Y"
