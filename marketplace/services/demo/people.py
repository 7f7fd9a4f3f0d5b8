"""The demo's people, generated deterministically from a seeded random.Random."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from marketplace.services.demo import content as c


@dataclass
class PersonPlan:
    """One employee to create, with everything except database ids."""

    number: str
    name: str
    email: str
    organisation: str
    department: str
    job_title: str
    grade: str
    location: str
    start_date: dt.date
    manager: str | None = None  # employee number of the line manager
    skills: dict[str, int] = field(default_factory=dict)  # ESCO label -> level 1..5
    goal_skills: list[str] = field(default_factory=list)
    goal_areas: list[str] = field(default_factory=list)
    summary: str = ""
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    capacity_percent: int = 100
    open_to_remote: bool = True
    open_to_relocation: bool = False
    open_to_international: bool = False
    is_manager: bool = False


@dataclass(frozen=True)
class KnownPerson:
    """A person the documented demo log-ins belong to, placed in a fixed seat."""

    key: str
    name: str
    department: str
    team: int
    as_manager: bool
    job_title: str
    grade: str
    location: str
    skills: dict[str, int]
    goal_skills: tuple[str, ...] = ()
    goal_areas: tuple[str, ...] = ()


KNOWN_PEOPLE = (
    KnownPerson(
        "employee", "Priya Shah", "Data & Analytics", 0, False, "Data Analyst", "G6", "London",
        {"Python (computer programming)": 3, "SQL": 4, "statistics": 3, "Tableau": 3,
         "perform data analysis": 4, "deliver visual presentation of data": 3},
        goal_skills=("utilise machine learning", "Amazon Web Services"),
        goal_areas=("Working with a client on their premises",),
    ),
    KnownPerson(
        "line_manager", "Daniel Okafor", "Data & Analytics", 0, True, "Analytics Manager", "G8", "London",
        {"lead a team": 4, "coach employees": 4, "SQL": 4, "statistics": 4, "business intelligence": 4,
         "manage relationships with stakeholders": 4, "Microsoft Power BI": 3},
        goal_skills=("strategic planning",),
    ),
    KnownPerson(
        "host", "Grace Mitchell", "Technology", 0, True, "Engineering Manager", "G8", "London",
        {"lead a team": 4, "Kubernetes": 4, "Docker": 5, "design cloud architecture": 4,
         "Python (computer programming)": 4, "Agile development": 4, "conduct ICT code review": 5},
        goal_areas=("Policy development and working with government",),
    ),
    KnownPerson(
        "talent", "Hannah Lewis", "People & HR", 1, False, "Senior Talent Partner", "G7", "Manchester",
        {"talent management strategies": 4, "human resource management": 4, "interview techniques": 4,
         "coach employees": 3, "learning needs analysis": 3, "promote inclusion": 4},
        goal_skills=("perform data analysis",),
    ),
)

# First words of ESCO labels that are activities ("manage budgets") rather than topics ("statistics").
_VERBS = frozenset(
    "adapt advise analyse apply assess assist build calculate carry chair coach communicate compile conduct "
    "coordinate create debug define delegate deliver design develop draft ensure evaluate execute follow "
    "forecast give guarantee handle identify implement integrate interpret involve lead listen maintain manage "
    "monitor motivate negotiate perform plan prepare produce promote prospect protect provide recruit resolve "
    "revise show solve think track train use utilise work write".split()
)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def _activities_and_topics(labels: list[str]) -> tuple[list[str], list[str]]:
    plain = [_PARENTHESIS.sub("", label) for label in labels]
    activities = [p for p in plain if p.split()[0] in _VERBS]
    return activities, [p for p in plain if p not in activities]


def describe_work(labels: list[str]) -> str:
    """Skill labels phrased to follow "Day to day I …": activities as they are, topics after "work with"."""
    activities, topics = _activities_and_topics(labels)
    parts = ([_join(activities)] if activities else []) + ([f"work with {_join(topics)}"] if topics else [])
    return ", and I ".join(parts)


def describe_ambitions(labels: list[str]) -> str:
    """Skill labels phrased to follow "I would like to …"."""
    activities, topics = _activities_and_topics(labels)
    parts = ([f"learn to {_join(activities)}"] if activities else []) + (
        [f"build experience in {_join(topics)}"] if topics else []
    )
    return ", and ".join(parts)


def with_article(noun: str) -> str:
    """"a Data Analyst", "an Engineering Manager"."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def write_summary(person: PersonPlan, department: str, today: dt.date, rng: random.Random) -> str:
    """A few sentences in the person's own voice that mention some of their skills in words."""
    strongest = sorted(person.skills, key=lambda label: (-person.skills[label], label))[:3]
    opening = rng.choice((
        "{title} in {dept}, based in {place}.",
        "I work in {dept} as {a_title}, mostly from our {place} office.",
        "{title} ({dept}, {place}).",
    )).format(title=person.job_title, a_title=with_article(person.job_title), dept=department, place=person.location)
    years = max(1, (today - person.start_date).days // 365)
    service = f"I have been with the organisation for about {years} year{'s' if years > 1 else ''}."
    work = f"Day to day I {describe_work(strongest)}."
    hopes = []
    if person.goal_skills:
        hopes.append(f"I would like to {describe_ambitions(person.goal_skills)}")
    if person.goal_areas:
        hopes.append(f"I am also interested in {person.goal_areas[0][0].lower() + person.goal_areas[0][1:]}")
    closing = (". ".join(hopes) + ".") if hopes else "I am open to a secondment that stretches me."
    return " ".join((opening, service, work, closing))


class PeopleBuilder:
    """Generates the organisation chart, one department at a time, from a seeded generator."""

    def __init__(self, rng: random.Random, today: dt.date):
        self.rng = rng
        self.today = today
        self.people: list[PersonPlan] = []
        self.accounts: dict[str, str] = {}  # KnownPerson.key -> employee number
        self._emails: set[str] = set()
        self._names = {p.name for p in KNOWN_PEOPLE} | {s[0] for partner in c.PARTNERS for s in partner.staff}
        self._locations, self._weights = zip(*c.LOCATIONS)

    def build(self) -> list[PersonPlan]:
        """Everyone: the chief executive, each department's head, managers and teams, and partner staff."""
        ceo = self._person(c.COMPANY, "Strategy & Transformation", c.EXECUTIVE_TITLE, "SCS", None, "London")
        ceo.is_manager = True
        for department in c.DEPARTMENTS:
            self._department(department, ceo)
        for partner in c.PARTNERS:
            self._partner(partner)
        return self.people

    def _department(self, department: c.DepartmentContent, ceo: PersonPlan) -> None:
        head = self._person(c.COMPANY, department.name, department.head_title, "SCS", ceo.number, "London")
        head.is_manager = True
        for team in range(department.teams):
            known = {p.as_manager: p for p in KNOWN_PEOPLE if (p.department, p.team) == (department.name, team)}
            title = department.manager_titles[team % len(department.manager_titles)]
            location = "London" if team == 0 else self._location()
            manager = self._person(c.COMPANY, department.name, title, self.rng.choice(("G8", "G8", "G9")),
                                   head.number, location, known.get(True))
            manager.is_manager = True
            for seat in range(self.rng.randint(6, 8)):
                job_title, grade = self.rng.choice(department.member_titles)
                place = location if self.rng.random() < 0.7 else self._location()
                self._person(c.COMPANY, department.name, job_title, grade, manager.number, place,
                             known.get(False) if seat == 0 else None)

    def _partner(self, partner: c.PartnerContent) -> None:
        lead = None
        for name, title, grade in partner.staff:
            person = self._person(partner.name, partner.department, title, grade, lead, partner.location,
                                  name=name, domain=re.sub(r"[^a-z]", "", partner.name.lower()) + ".example",
                                  pool=partner.skills)
            lead = lead or person.number
            person.is_manager = person.number == lead

    def _location(self) -> str:
        return self.rng.choices(self._locations, self._weights)[0]

    def _person(
        self,
        organisation: str,
        department: str,
        title: str,
        grade: str,
        manager: str | None,
        location: str,
        known: KnownPerson | None = None,
        *,
        name: str | None = None,
        domain: str = c.EMAIL_DOMAIN,
        pool: tuple[str, ...] | None = None,
    ) -> PersonPlan:
        if known is not None:
            name, title, grade, location = known.name, known.job_title, known.grade, known.location
        name = name or self._new_name()
        person = PersonPlan(
            number=f"{'NW' if organisation == c.COMPANY else 'PX'}{len(self.people) + 1:05d}",
            name=name,
            email=self._email(name, domain),
            organisation=organisation,
            department=department,
            job_title=title,
            grade=grade,
            location=location,
            start_date=self._start_date(grade),
            manager=manager,
        )
        if known is not None:
            person.skills = dict(known.skills)
            person.goal_skills, person.goal_areas = list(known.goal_skills), list(known.goal_areas)
            self.accounts[known.key] = person.number
        else:
            pool = pool or _department_pool(department)
            self._give_skills(person, pool, manager_grade=grade in ("G8", "G9", "SCS"))
            self._give_goals(person, pool)
        self._give_availability(person)
        if known is not None:  # the documented log-ins should show up in matches
            person.available_from = self.today + dt.timedelta(days=21)
            person.available_until = self.today + dt.timedelta(days=365)
            person.capacity_percent, person.open_to_remote, person.open_to_international = 100, True, True
        person.summary = write_summary(person, department, self.today, self.rng)
        self.people.append(person)
        return person

    def _new_name(self) -> str:
        while True:
            name = f"{self.rng.choice(c.FIRST_NAMES)} {self.rng.choice(c.LAST_NAMES)}"
            if name not in self._names:
                self._names.add(name)
                return name

    def _email(self, name: str, domain: str) -> str:
        local = ".".join(re.sub(r"[^a-z]", "", part.lower()) for part in name.split(" ", 1))
        email, n = f"{local}@{domain}", 1
        while email in self._emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self._emails.add(email)
        return email

    def _start_date(self, grade: str) -> dt.date:
        seniority = c.GRADES.index(grade)
        days = self.rng.randint(90 + 200 * seniority, 900 + 1100 * seniority)
        return self.today - dt.timedelta(days=days)

    def _give_skills(self, person: PersonPlan, pool: tuple[str, ...], manager_grade: bool) -> None:
        rng, seniority = self.rng, c.GRADES.index(person.grade)
        count = rng.randint(3, 6)
        labels = rng.sample(pool, min(count, len(pool)))
        labels += rng.sample(c.COMMON_SKILLS, rng.randint(0, 1))
        if manager_grade:
            labels += rng.sample(c.LEADERSHIP_SKILLS, rng.randint(1, 2))
        for label in labels[:8]:
            low = 1 + seniority // 2
            person.skills[label] = max(1, min(5, rng.randint(low, low + 2)))

    def _give_goals(self, person: PersonPlan, pool: tuple[str, ...]) -> None:
        """Mostly the next skills of their own field, sometimes a neighbouring one, leadership or a broad area."""
        rng = self.rng
        wanted = rng.randint(1, 3)
        elsewhere = [s for d in c.DEPARTMENTS for s in d.skills]
        while len(person.goal_skills) + len(person.goal_areas) < wanted:
            draw = rng.random()
            if draw < 0.7:
                source = pool if draw < 0.4 else elsewhere if draw < 0.58 else c.LEADERSHIP_SKILLS
                label = rng.choice(source)
                if label not in person.skills and label not in person.goal_skills:
                    person.goal_skills.append(label)
            else:
                area = rng.choice(c.DEVELOPMENT_AREAS)
                if area == c.FIRST_LINE_MANAGEMENT and person.grade in ("G8", "G9", "SCS"):
                    continue
                if area not in person.goal_areas:
                    person.goal_areas.append(area)

    def _give_availability(self, person: PersonPlan) -> None:
        rng = self.rng
        if rng.random() < 0.65:
            person.available_from = self.today + dt.timedelta(days=rng.randint(14, 150))
            person.available_until = person.available_from + dt.timedelta(days=rng.randint(90, 365))
            person.capacity_percent = rng.choice((20, 40, 50, 60, 80, 100, 100))
        abroad = person.location in ("Dublin", "Amsterdam", "Lisbon")
        person.open_to_remote = rng.random() < 0.85
        person.open_to_relocation = rng.random() < 0.2
        person.open_to_international = rng.random() < (0.5 if abroad else 0.15)


def _department_pool(name: str) -> tuple[str, ...]:
    return next(d.skills for d in c.DEPARTMENTS if d.name == name)
