#!/usr/bin/python3
"""Generate the labelled test set of the tokenizer (tests/lib/privacy/data/pii_labelled.txt).

Each output line is one sentence; every item of personal data in it is marked
[[kind|value]] (kinds as in nc/token.h: email phone card iban ipv4 ipv6 dob
name). Text outside the marks must yield no match. Lines mix real-looking
personal data with look-alikes that must not match: dates without a birth
keyword, SSNs, ISBNs, ZIP+4 codes, order and tracking numbers, Luhn-invalid
card numbers, IBANs with wrong check digits, version strings, octets over 255,
MAC addresses, clock times, C++ scopes, malformed e-mail addresses, and
lower-case words that are also names.

The positives are checked here with implementations independent of ours:
python-stdnum (Debian's python3-stdnum: Luhn, ISO 13616 IBAN structure and
MOD 97-10), Python's ipaddress (address validity and its own RFC 5952
formatting) and datetime (calendar validity). The look-alikes are checked
to fail the same validators where a validator applies.

  pii_gen.py [--seed N] [--lines N] > data/pii_labelled.txt
The committed file was made with the defaults (seed 20, 1200 lines).
"""
import argparse
import datetime
import ipaddress
import random

from stdnum import iban as std_iban
from stdnum import luhn as std_luhn

NAMES = ["Alice Johnson", "Bob Martinez", "Chen Wei", "Dmitri Ivanov", "Fatima Al-Sayed", "Giulia Rossi",
         "Hiroshi Tanaka", "Ingrid Svensson", "Jamal Carter", "Katarzyna Nowak", "Liam O'Brien",
         "Maria Garcia", "Nia Okafor", "Olusegun Adeyemi", "Priya Raman", "Quentin Dubois", "Rosa Delgado",
         "Sven Larsen", "Tomasz Kowalski", "Ursula Becker", "Valentina Costa", "Wei Zhang", "Yara Haddad",
         "Zoe Williams", "Aarav Shah", "Beatriz Souza", "Carlos Mendes", "Daniela Fischer", "Emeka Nwosu",
         "Freya Lindqvist"]
# Names that are also ordinary lower-case words: the test lists them, and
# their lower-case uses below must not match.
WORD_NAMES = ["Rose", "Mark", "Bill", "Grace", "Hope"]

FIRST = ["alice", "bob", "chen", "dmitri", "fatima", "giulia", "hiroshi", "ingrid", "jamal", "kasia", "liam",
         "maria", "nia", "olu", "priya", "quentin", "rosa", "sven", "tomasz", "ursula", "wei", "yara", "zoe"]
LAST = ["johnson", "martinez", "wei", "ivanov", "alsayed", "rossi", "tanaka", "svensson", "carter", "nowak",
        "obrien", "garcia", "okafor", "raman", "dubois", "delgado", "larsen", "becker", "costa", "zhang"]
DOMAINS = ["example.com", "mail.example.org", "corp.example.net", "uni-example.edu", "example.co.uk",
           "post.example.de", "example.io", "mx.example.fr", "example.info", "service.example.travel"]
IBAN_COUNTRIES = ["DE", "GB", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "PL", "SE", "NO", "DK", "FI", "IE", "PT"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def mark(kind, value):
    return "[[%s|%s]]" % (kind, value)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def digits(self, n):
        return "".join(self.r.choice("0123456789") for _ in range(n))

    # ---- e-mail ---------------------------------------------------------------
    def email(self):
        r = self.r
        local = r.choice(FIRST) + r.choice([".", "_", "-", ""]) + r.choice(LAST)
        if r.random() < 0.3:
            local += str(r.randint(1, 99))
        if r.random() < 0.15:
            local += "+" + r.choice(["news", "work", "shop"])
        return local + "@" + r.choice(DOMAINS)

    def email_lookalike(self):
        r = self.r
        return r.choice(["admin@localhost", "@" + r.choice(FIRST) + "_dev", r.choice(FIRST) + " at example dot com",
                         r.choice(FIRST) + "@example", "x@y.c", r.choice(FIRST) + "@example..com",
                         r.choice(LAST) + "@", "@example.com", r.choice(FIRST) + "@example.c0m",
                         "user@-example.com"])

    # ---- phones ------------------------------------------------------------------
    def phone(self):
        r, d = self.r, self.digits
        area, ex, line = str(r.randint(201, 989)), str(r.randint(200, 999)), d(4)
        forms = [
            "+1 %s %s %s" % (area, ex, line), "+1-%s-%s-%s" % (area, ex, line), "+1%s%s%s" % (area, ex, line),
            "(%s) %s-%s" % (area, ex, line), "%s-%s-%s" % (area, ex, line), "%s.%s.%s" % (area, ex, line),
            "+1 (%s) %s-%s" % (area, ex, line), "+44 20 %s %s" % (d(4), d(4)), "020 %s %s" % (d(4), d(4)),
            "07700 %s" % d(6), "+44 7700 %s" % d(6), "+49 30 %s" % d(8), "+49 151 %s" % d(8),
            "+33 1 %s %s %s %s" % (d(2), d(2), d(2), d(2)), "01 %s %s %s %s" % (d(2), d(2), d(2), d(2)),
            "+91 98%s %s" % (d(3), d(5)), "+81 3 %s %s" % (d(4), d(4)), "+61 2 %s %s" % (d(4), d(4)),
        ]
        return r.choice(forms)

    def bare_phone_line(self):
        number = "%d%s" % (self.r.randint(201, 989), self.digits(7))
        kw = self.r.choice(["Call", "Phone:", "Tel.", "mobile", "reach me on my cell"])
        return "%s %s if anything changes." % (kw, mark("phone", number))

    def phone_lookalike(self):
        r, d = self.r, self.digits
        return r.choice([
            "%d-%02d-%02d" % (r.randint(2000, 2030), r.randint(1, 12), r.randint(1, 28)),  # ISO date
            "%02d.%02d.%d" % (r.randint(1, 28), r.randint(1, 12), r.randint(2000, 2030)),
            "%s-%s-%s" % (d(3), d(2), d(4)),  # SSN shape
            "978-%s-%s-%s-%s" % (d(1), d(2), d(6), d(1)),  # ISBN-13
            "%s-%s" % (d(5), d(4)),  # ZIP+4
            "%d.%d.%d" % (r.randint(0, 9), r.randint(0, 20), r.randint(0, 99)),  # version
            "%d,%s,%s" % (r.randint(1, 999), d(3), d(3)),  # amount
            "%02d:%02d:%02d" % (r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)),
            "ORD-%d-%s" % (r.randint(2019, 2026), d(6)),  # order number
            "invoice %s" % d(10),  # bare digits without a phone keyword
            "%s %s" % (d(4), d(4)),  # PIN-like
        ])

    # ---- cards -----------------------------------------------------------------------
    def card_number(self):
        r = self.r
        kind = r.choice(["visa", "mc", "mc2", "amex", "disc"])
        if kind == "visa":
            body = "4" + self.digits(14)
        elif kind == "mc":
            body = str(r.randint(51, 55)) + self.digits(13)
        elif kind == "mc2":
            body = str(r.randint(2221, 2720)) + self.digits(11)
        elif kind == "amex":
            body = r.choice(["34", "37"]) + self.digits(12)
        else:
            body = "6011" + self.digits(11)
        number = body + std_luhn.calc_check_digit(body)
        assert std_luhn.is_valid(number)
        return number

    def group_card(self, number):
        r = self.r
        if len(number) == 15:
            groups = [number[:4], number[4:10], number[10:]]
        else:
            groups = [number[i:i + 4] for i in range(0, len(number), 4)]
        return r.choice(["", " ", "-"]).join(groups) if r.random() < 0.8 else number

    def card(self):
        return self.group_card(self.card_number())

    def card_lookalike(self):
        r = self.r
        number = self.card_number()
        bad = number[:-1] + str((int(number[-1]) + r.randint(1, 9)) % 10)  # wrong check digit
        assert not std_luhn.is_valid(bad)
        return r.choice([self.group_card(bad), "1Z999AA1%s" % self.digits(10),  # UPS tracking
                         "8" + self.digits(15), "tracking %s" % ("9" + self.digits(21))])

    # ---- IBAN --------------------------------------------------------------------------------
    def bban(self, cc):
        spec = std_iban._ibandb.info(cc)[0][1]["bban"]
        out, i = "", 0
        while i < len(spec):
            j = i
            while spec[j].isdigit():
                j += 1
            n, cls = int(spec[i:j]), spec[j + 1] if spec[j] == "!" else spec[j]
            j += 2 if spec[j] == "!" else 1
            alphabet = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                        "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}[cls]
            out += "".join(self.r.choice(alphabet) for _ in range(n))
            i = j
        return out

    def iban_number(self):
        cc = self.r.choice(IBAN_COUNTRIES)
        bban = self.bban(cc)
        number = cc + std_iban.calc_check_digits(cc + "00" + bban) + bban
        assert std_iban.is_valid(number, check_country=False), number
        return number

    def group_iban(self, number):
        return std_iban.format(number) if self.r.random() < 0.6 else number

    def iban(self):
        return self.group_iban(self.iban_number())

    def iban_lookalike(self):
        number = self.iban_number()
        check = self.r.choice([c for c in range(2, 99) if c != int(number[2:4])])
        bad = number[:2] + "%02d" % check + number[4:]
        assert not std_iban.is_valid(bad, check_country=False)
        return self.r.choice([self.group_iban(bad), number[:12]])  # wrong check digits, or cut short

    # ---- IP addresses ------------------------------------------------------------------------
    def ipv4(self):
        while True:
            a = ipaddress.IPv4Address(self.r.getrandbits(32))
            if not (a.is_multicast or a.is_reserved or a.is_unspecified):
                return str(a)

    def ipv4_lookalike(self):
        r = self.r
        return r.choice(["%d.%d.%d.%d" % (r.randint(256, 999), r.randint(0, 255), r.randint(0, 255), r.randint(0, 255)),
                         "%d.%d.%d" % (r.randint(1, 255), r.randint(0, 255), r.randint(0, 255)),
                         "version %d.%d.%d.%d" % (r.randint(1, 9), r.randint(0, 20), r.randint(0, 9), r.randint(0, 99)),
                         "192.168.0%d.%d" % (r.randint(1, 9), r.randint(1, 254)),
                         "%d.%d.%d.%d.%d" % tuple(r.randint(1, 9) for _ in range(5))])

    def ipv6(self):
        r = self.r
        if r.random() < 0.5:
            a = ipaddress.IPv6Address((0x20010db8 << 96) | r.getrandbits(32))  # compressible
        else:
            a = ipaddress.IPv6Address(r.getrandbits(128))
        return a.compressed if r.random() < 0.7 else a.exploded

    def ipv6_lookalike(self):
        r = self.r
        h = lambda: "%02x" % r.randint(0, 255)
        return r.choice([":".join(h() for _ in range(6)),  # MAC
                         "%02d:%02d:%02d" % (r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)),
                         "std::vector", "a::b", "1:2:3:4:5:6:7:8:9", "fe80:::1"])

    # ---- dates of birth -------------------------------------------------------------------------
    def date(self, lo=1930, hi=2010):
        start = datetime.date(lo, 1, 1)
        return start + datetime.timedelta(days=self.r.randint(0, (datetime.date(hi, 12, 31) - start).days))

    def date_text(self, d):
        return self.r.choice([
            d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%m/%d/%Y"), d.strftime("%d.%m.%Y"),
            "%d %s %d" % (d.day, MONTHS[d.month - 1], d.year), "%d %s %d" % (d.day, MONTHS[d.month - 1][:3], d.year),
            "%s %d, %d" % (MONTHS[d.month - 1], d.day, d.year), "%s %d %d" % (MONTHS[d.month - 1][:3], d.day, d.year),
        ])

    def dob_line(self):
        r = self.r
        lead = r.choice(["Date of birth: ", "DOB ", "She was born on ", "born ", "Birthday: ", "D.O.B. "])
        return lead + mark("dob", self.date_text(self.date())) + r.choice([".", "", " (verified)."])

    def date_lookalike(self):
        r = self.r
        d = self.date(2015, 2030)
        return r.choice(["The meeting is on %s." % self.date_text(d), "Invoice dated %s." % self.date_text(d),
                         "born 31/02/19%02d" % r.randint(50, 99), "Shipped %s, arrived later." % self.date_text(d)])


def line(g):
    """One labelled sentence."""
    r = g.r
    name = lambda: mark("name", r.choice(NAMES))
    templates = [
        lambda: "Contact %s at %s for details." % (name(), mark("email", g.email())),
        lambda: "Please call %s or write to %s." % (mark("phone", g.phone()), mark("email", g.email())),
        lambda: "Card on file: %s, expires 09/27." % mark("card", g.card()),
        lambda: "Refund to IBAN %s by Friday." % mark("iban", g.iban()),
        lambda: "Login from %s was blocked." % mark("ipv4", g.ipv4()),
        lambda: "The server %s answered, then %s." % (mark("ipv6", g.ipv6()), mark("ipv4", g.ipv4())),
        lambda: g.dob_line(),
        lambda: g.bare_phone_line(),
        lambda: "%s paid with %s from %s." % (name(), mark("card", g.card()), mark("ipv4", g.ipv4())),
        lambda: "Wire %s; questions to %s (%s)." % (mark("iban", g.iban()), name(), mark("phone", g.phone())),
        lambda: "Route via %s; owner %s." % (mark("ipv6", g.ipv6()), mark("email", g.email())),
        lambda: "Mobile: %s, e-mail: %s, born %s." % (mark("phone", g.phone()), mark("email", g.email()),
                                                      mark("dob", g.date_text(g.date()))),
        # look-alikes only
        lambda: "Reference %s, see %s." % (g.phone_lookalike(), g.phone_lookalike()),
        lambda: "Not a card: %s." % g.card_lookalike(),
        lambda: "Check %s again." % g.iban_lookalike(),
        lambda: "Ignore %s and %s." % (g.ipv4_lookalike(), g.ipv6_lookalike()),
        lambda: g.date_lookalike(),
        lambda: "Broken address %s in the log." % g.email_lookalike(),
        lambda: "The %s in the garden, %s the box, pay the %s." % (r.choice(["rose", "hope"]), r.choice(["mark", "tick"]),
                                                                  "bill"),
        # mixed
        lambda: "%s (%s) moved; new number %s." % (name(), g.phone_lookalike(), mark("phone", g.phone())),
        lambda: "Order %s for %s, card %s." % (g.phone_lookalike(), mark("email", g.email()), mark("card", g.card())),
        lambda: "Build %s deployed to %s." % (g.ipv4_lookalike(), mark("ipv6", g.ipv6())),
    ]
    return r.choice(templates)()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--lines", type=int, default=1200)
    a = ap.parse_args()
    g = Gen(a.seed)
    print("# names: " + "|".join(NAMES + WORD_NAMES))
    for _ in range(a.lines):
        print(line(g))


if __name__ == "__main__":
    main()
