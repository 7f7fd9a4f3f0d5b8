"""Hand-written content of the demo organisation: departments, roles, people's names, places.

Every skill label here is a real ESCO preferred label (or one of our supplement skills in
marketplace/data/skill_supplement.csv); the seeder checks each one against the catalogue and
refuses to run if any is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY = "Northwind Group"
EMAIL_DOMAIN = "northwind.example"
GRADES = ("G4", "G5", "G6", "G7", "G8", "G9", "SCS")


@dataclass(frozen=True)
class DepartmentContent:
    """One department: who works there and what they are good at."""

    name: str
    head_title: str
    manager_titles: tuple[str, ...]
    member_titles: tuple[tuple[str, str], ...]  # (job title, grade), junior to senior
    skills: tuple[str, ...]
    teams: int = 4


# Skills most people pick up whatever their department.
COMMON_SKILLS = (
    "manage relationships with stakeholders",
    "use microsoft office",
    "use spreadsheets software",
    "give live presentation",
    "think analytically",
    "work in teams",
    "solve problems",
    "adapt to change",
    "listen actively",
    "manage time",
    "project management",
)

# Skills that line managers and heads of department tend to have.
LEADERSHIP_SKILLS = (
    "lead a team",
    "coach employees",
    "motivate employees",
    "delegate responsibilities",
    "apply change management",
    "chair a meeting",
    "resolve conflicts",
    "strategic planning",
    "manage budgets",
    "evaluate employees",
)

DEPARTMENTS: tuple[DepartmentContent, ...] = (
    DepartmentContent(
        name="Finance",
        head_title="Director of Finance",
        manager_titles=("Financial Controller", "Head of Financial Planning", "Treasury Manager", "Head of Management Accounts"),
        member_titles=(
            ("Finance Assistant", "G4"), ("Accounts Payable Officer", "G4"), ("Management Accountant", "G5"),
            ("Financial Analyst", "G6"), ("Treasury Analyst", "G6"), ("Senior Financial Analyst", "G7"),
            ("Finance Business Partner", "G7"),
        ),
        skills=(
            "manage budgets", "financial analysis", "financial forecasting", "prepare financial statements",
            "interpret financial statements", "accounting techniques", "use accounting systems",
            "internal auditing", "conduct financial audits", "calculate tax", "tax legislation",
            "international financial reporting standards", "budgetary principles", "cost management",
            "handle cash flow", "credit control processes", "investment analysis",
            "business valuation techniques", "treasury management system", "financial management",
            "risk modelling", "Microsoft Power BI",
        ),
    ),
    DepartmentContent(
        name="People & HR",
        head_title="Chief People Officer",
        manager_titles=("HR Business Partner Lead", "Head of Talent Acquisition", "Learning & Development Manager", "Reward Manager"),
        member_titles=(
            ("HR Assistant", "G4"), ("HR Advisor", "G5"), ("Recruitment Partner", "G5"),
            ("Learning & Development Specialist", "G6"), ("Reward Analyst", "G6"), ("HR Business Partner", "G7"),
            ("Senior Talent Partner", "G7"),
        ),
        skills=(
            "human resource management", "recruit employees", "write job descriptions", "interview techniques",
            "employment law", "labour legislation", "manage payroll", "calculate employee benefits",
            "evaluate employees", "coach employees", "provide mentorship", "develop employee retention programs",
            "talent management strategies", "learning needs analysis", "develop employment policies",
            "manage employee complaints", "assist in developing practices for well being of employees",
            "promote inclusion", "equality, diversity and inclusion", "organisational learning", "Workday HCM",
            "apply conflict management", "e-learning",
        ),
    ),
    DepartmentContent(
        name="Technology",
        head_title="Chief Technology Officer",
        manager_titles=("Engineering Manager", "Head of Platform", "Head of Cyber Security", "Delivery Manager"),
        member_titles=(
            ("Service Desk Analyst", "G4"), ("Junior Software Engineer", "G5"), ("Software Engineer", "G6"),
            ("QA Engineer", "G6"), ("Platform Engineer", "G6"), ("Senior Software Engineer", "G7"),
            ("Site Reliability Engineer", "G7"), ("Security Analyst", "G7"), ("Solution Architect", "G8"),
        ),
        skills=(
            "Python (computer programming)", "JavaScript", "TypeScript", "Java (computer programming)", "SQL",
            "PostgreSQL", "DevOps", "Kubernetes", "Docker", "Amazon Web Services", "Microsoft Azure",
            "continuous integration and delivery", "tools for software configuration management",
            "perform software unit testing", "conduct ICT code review", "design cloud architecture",
            "cyber security", "implement ICT security policies", "Agile development", "define software architecture",
            "React (JavaScript library)", "Linux system administration", "ICT accessibility standards",
            "debug software", "Scrum", "manage major incidents", "infrastructure as code", "RESTful API design",
        ),
        teams=5,
    ),
    DepartmentContent(
        name="Data & Analytics",
        head_title="Chief Data Officer",
        manager_titles=("Analytics Manager", "Head of Data Science", "Data Engineering Manager", "BI Manager"),
        member_titles=(
            ("Data Assistant", "G4"), ("Junior Data Analyst", "G5"), ("Data Analyst", "G6"),
            ("BI Developer", "G6"), ("Data Engineer", "G6"), ("Senior Data Analyst", "G7"),
            ("Data Scientist", "G7"), ("Senior Data Scientist", "G8"),
        ),
        skills=(
            "statistics", "apply statistical analysis techniques", "perform data analysis", "data mining",
            "machine learning", "utilise machine learning", "deep learning", "natural language processing",
            "create data models", "data analytics", "business intelligence", "deliver visual presentation of data",
            "data visualisation software", "R", "Python (computer programming)", "SQL", "pandas (Python library)",
            "scikit-learn", "Tableau", "Microsoft Power BI", "data engineering", "perform data cleansing",
            "data quality assessment", "data science", "Apache Airflow", "dbt (data build tool)",
        ),
    ),
    DepartmentContent(
        name="Marketing",
        head_title="Marketing Director",
        manager_titles=("Brand Manager", "Digital Marketing Manager", "Head of Communications", "Insight Manager"),
        member_titles=(
            ("Marketing Assistant", "G4"), ("Marketing Executive", "G5"), ("Content Designer", "G5"),
            ("Digital Marketing Specialist", "G6"), ("Communications Officer", "G6"), ("Marketing Analyst", "G6"),
            ("Senior Marketing Manager", "G7"),
        ),
        skills=(
            "plan marketing strategy", "implement marketing strategies", "digital marketing techniques",
            "social media marketing techniques", "apply social media marketing", "content marketing strategy",
            "search engine optimisation", "perform copywriting", "proofread text", "market research",
            "perform market research", "brand marketing techniques", "define brand identity",
            "plan marketing campaigns", "evaluate advertising campaign", "marketing analytics", "web analytics",
            "Google Analytics", "execute email marketing", "customer insight", "customer segmentation",
            "public relations", "draft press releases", "A/B testing", "develop digital content",
        ),
    ),
    DepartmentContent(
        name="Operations",
        head_title="Chief Operating Officer",
        manager_titles=("Operations Manager", "Procurement Manager", "Supply Chain Manager", "Quality Manager"),
        member_titles=(
            ("Operations Coordinator", "G4"), ("Procurement Officer", "G5"), ("Logistics Planner", "G5"),
            ("Supply Chain Analyst", "G6"), ("Facilities Manager", "G6"), ("Continuous Improvement Lead", "G7"),
            ("Category Manager", "G7"),
        ),
        skills=(
            "manage logistics", "supply chain management", "supply chain principles", "warehouse operations",
            "carry out inventory planning", "develop procurement strategy", "perform procurement processes",
            "supplier management", "negotiate terms with suppliers", "assess supplier risks",
            "continuous improvement philosophies", "lean manufacturing", "six sigma methods", "Lean Six Sigma",
            "manage quality", "quality assurance procedures", "health and safety in the workplace",
            "analyse business processes", "lead process optimisation", "perform risk analysis", "forecast workload",
            "manage contracts", "implement sustainable procurement", "carbon accounting",
        ),
    ),
    DepartmentContent(
        name="Legal & Compliance",
        head_title="General Counsel",
        manager_titles=("Head of Compliance", "Senior Legal Counsel", "Head of Information Governance"),
        member_titles=(
            ("Legal Assistant", "G4"), ("Paralegal", "G5"), ("Compliance Analyst", "G5"),
            ("Information Governance Officer", "G6"), ("Legal Counsel", "G7"), ("Data Protection Officer", "G7"),
            ("Senior Compliance Manager", "G8"),
        ),
        skills=(
            "contract law", "commercial law", "corporate law", "competition law", "intellectual property law",
            "employment law", "GDPR", "data protection", "protect personal data and privacy",
            "data protection impact assessment", "ensure compliance with legal requirements",
            "ensure ongoing compliance with regulations", "anti-money laundering", "legal case management",
            "compile legal documents", "revise legal documents", "provide legal advice", "legal research",
            "advise on risk management", "enterprise risk management", "internal risk management policy",
            "perform contract compliance audits", "Freedom of Information requests",
        ),
        teams=3,
    ),
    DepartmentContent(
        name="Customer Service",
        head_title="Director of Customer Service",
        manager_titles=("Customer Service Team Leader", "Complaints Manager", "Customer Experience Manager", "Contact Centre Manager"),
        member_titles=(
            ("Customer Service Advisor", "G4"), ("Customer Service Advisor", "G4"), ("Senior Customer Advisor", "G5"),
            ("Complaints Specialist", "G5"), ("Quality Coach", "G6"), ("Workforce Planner", "G6"),
            ("Customer Insight Analyst", "G6"),
        ),
        skills=(
            "customer service", "handle customer complaints", "communicate with customers",
            "guarantee customer satisfaction", "identify customer requirements", "maintain relationship with customers",
            "customer relationship management", "use customer relationship management software",
            "communicate by telephone", "analyse call centre activities", "manage key performance indicators of call centres",
            "analyse customer service surveys", "train staff on call quality assurance", "Salesforce CRM",
            "ServiceNow", "net promoter score", "customer journey mapping", "show empathy", "handle complaints",
            "follow up complaint reports",
        ),
        teams=5,
    ),
    DepartmentContent(
        name="Sales",
        head_title="Sales Director",
        manager_titles=("Regional Sales Manager", "Key Account Director", "Business Development Manager", "Sales Operations Manager"),
        member_titles=(
            ("Sales Support Officer", "G4"), ("Sales Executive", "G5"), ("Account Manager", "G6"),
            ("Sales Operations Analyst", "G6"), ("Bid Manager", "G7"), ("Key Account Manager", "G7"),
        ),
        skills=(
            "sales activities", "sales argumentation", "deliver a sales pitch", "negotiate sales contracts",
            "manage sales teams", "forecast sales over periods of time", "carry out sales analysis",
            "produce sales reports", "implement sales strategies", "manage sales channels", "develop account strategy",
            "identify new business opportunities", "prospect new customers", "negotiate price", "pricing strategies",
            "market pricing", "customer relationship management", "Salesforce CRM", "maintain relationship with customers",
            "identify customer requirements",
        ),
    ),
    DepartmentContent(
        name="Strategy & Transformation",
        head_title="Director of Strategy",
        manager_titles=("Programme Director", "Head of Business Analysis", "Portfolio Office Manager"),
        member_titles=(
            ("Project Support Officer", "G5"), ("Business Analyst", "G6"), ("Project Manager", "G6"),
            ("Strategy Analyst", "G6"), ("Senior Business Analyst", "G7"), ("Programme Manager", "G7"),
            ("Senior Strategy Consultant", "G8"),
        ),
        skills=(
            "carry out strategic research", "perform business analysis", "analyse business processes",
            "develop business case", "develop business plans", "market analysis", "perform business research",
            "conduct online competitive analysis", "strategic planning", "perform project management",
            "Agile project management", "Prince2 project management", "apply change management",
            "objectives and key results", "define technology strategy", "analyse business model",
            "forecast organisational risks", "advise on market strategies", "forecast economic trends",
            "track key performance indicators", "service design", "business requirements techniques",
        ),
        teams=3,
    ),
)

EXECUTIVE_TITLE = "Group Chief Executive"


@dataclass(frozen=True)
class PartnerContent:
    """An external organisation that hosts secondments, with its one department."""

    name: str
    kind: str
    department: str
    staff: tuple[tuple[str, str, str], ...]  # (name, job title, grade)
    location: str
    skills: tuple[str, ...]


PARTNERS: tuple[PartnerContent, ...] = (
    PartnerContent(
        name="Riverside Community Trust",
        kind="charity",
        department="Programmes & Volunteering",
        staff=(
            ("Ruth Adeyemi", "Chief Executive", "SCS"),
            ("Callum Fraser", "Head of Programmes", "G8"),
            ("Nadia Hussain", "Volunteer Coordinator", "G6"),
            ("Owen Pritchard", "Fundraising Manager", "G7"),
            ("Sian Roberts", "Community Outreach Officer", "G5"),
        ),
        location="Bristol",
        skills=(
            "manage volunteers", "train volunteers", "involve volunteers", "manage volunteering programmes",
            "perform fundraising activities", "manage fundraising activities", "write charity grant proposals",
            "manage grant applications", "build community relations", "integrate community outreach",
            "monitor charity's budget", "coordinate charity services",
        ),
    ),
    PartnerContent(
        name="Harbour Logistics Ltd",
        kind="client",
        department="Digital & Transformation",
        staff=(
            ("Marcus Lindqvist", "Chief Digital Officer", "SCS"),
            ("Elena Marchetti", "Head of Transformation", "G8"),
            ("Tom Gallagher", "Product Owner", "G7"),
            ("Aisha Bello", "Data Platform Lead", "G7"),
            ("Liam Doherty", "Supply Chain Improvement Manager", "G7"),
        ),
        location="Liverpool",
        skills=(
            "supply chain management", "manage logistics", "data analytics", "business intelligence",
            "Agile project management", "Scrum", "Amazon Web Services", "analyse business processes",
            "customer journey mapping", "perform project management",
        ),
    ),
)

LOCATIONS = (
    ("London", 28), ("Manchester", 14), ("Leeds", 10), ("Birmingham", 9), ("Bristol", 8), ("Edinburgh", 7),
    ("Glasgow", 5), ("Cardiff", 5), ("Belfast", 4), ("Newcastle", 4), ("Dublin", 3), ("Amsterdam", 2), ("Lisbon", 1),
)

FIRST_LINE_MANAGEMENT = "Line management for the first time"

# Broader development areas people write in their own words.
DEVELOPMENT_AREAS = (
    "Leading a team through a period of change",
    "Experience of working in a charity or the voluntary sector",
    FIRST_LINE_MANAGEMENT,
    "Working with a client on their premises",
    "An international assignment in one of our EU offices",
    "Policy development and working with government",
    "Product ownership of a digital service",
    "Public speaking and presenting to senior leaders",
    "Commercial awareness and how deals are negotiated",
    "Running a programme across several departments",
    "Understanding how our customers experience our services",
    "Using data to make better decisions in my team",
)

FIRST_NAMES = (
    "Aaliyah", "Abdul", "Adam", "Adebayo", "Aisha", "Alex", "Alice", "Amara", "Amelia", "Amir", "Ana", "Andrew",
    "Anjali", "Ben", "Bethan", "Carlos", "Charlotte", "Chen", "Chloe", "Ciara", "Connor", "Daniel", "David",
    "Deepa", "Eilidh", "Elif", "Ella", "Emily", "Emma", "Eoin", "Ewan", "Fatima", "Finn", "Freya", "Gareth",
    "George", "Grace", "Hamza", "Hannah", "Harry", "Harvey", "Holly", "Ibrahim", "Imogen", "Isla", "Jack",
    "Jacob", "James", "Jasmine", "Jessica", "Joanna", "Joseph", "Joshua", "Kai", "Karen", "Katie", "Kwame",
    "Laura", "Leah", "Leon", "Lily", "Lucy", "Luis", "Maja", "Maria", "Mark", "Martha", "Matteo", "Megan",
    "Mei", "Michael", "Mohammed", "Molly", "Muhammad", "Naomi", "Nathan", "Niamh", "Nicola", "Noah", "Oliver",
    "Olivia", "Oscar", "Patrick", "Paul", "Pooja", "Rachel", "Rebecca", "Rhys", "Rosa", "Ryan", "Saanvi",
    "Samuel", "Sara", "Sean", "Sophie", "Stefan", "Sunita", "Thomas", "Tomasz", "Victoria", "William", "Yusuf",
    "Zara", "Zoe", "Kofi", "Ines", "Sandeep", "Lauren", "Gemma", "Rowan", "Tariq", "Ifeoma", "Siobhan", "Aleksander",
)

LAST_NAMES = (
    "Ahmed", "Ali", "Anderson", "Bailey", "Baker", "Banerjee", "Bell", "Brennan", "Brown", "Campbell", "Carter",
    "Chen", "Clarke", "Collins", "Cooper", "Da Silva", "Davies", "Dixon", "Edwards", "Evans", "Fernandes",
    "Fisher", "Fitzgerald", "Foster", "Gill", "Gordon", "Graham", "Green", "Hall", "Harris", "Hughes", "Hussain",
    "Iqbal", "Jackson", "James", "Jenkins", "Johnson", "Jones", "Kaur", "Kelly", "Khan", "King", "Kowalski",
    "Lee", "Lewis", "Lloyd", "Macdonald", "Mahmood", "Martin", "Mensah", "Miller", "Mitchell", "Moore", "Morgan",
    "Morris", "Murphy", "Murray", "Nowak", "O'Brien", "O'Connor", "Okafor", "Osei", "Owen", "Parker", "Patel",
    "Phillips", "Price", "Rahman", "Reid", "Richards", "Roberts", "Robinson", "Rossi", "Scott", "Shah", "Sharma",
    "Singh", "Smith", "Stewart", "Taylor", "Thomas", "Thompson", "Turner", "Walker", "Walsh", "Ward", "Watson",
    "White", "Williams", "Wilson", "Wood", "Wright", "Young", "Zhang", "Nguyen", "Costa", "Novak", "Byrne",
)
