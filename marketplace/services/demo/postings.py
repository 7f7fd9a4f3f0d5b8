"""The demo's secondment opportunities, hand-written, covering every type and status."""

from __future__ import annotations

from dataclasses import dataclass

HOST_ACCOUNT = "@host"  # the documented host manager log-in


@dataclass(frozen=True)
class OpportunityContent:
    """One opportunity as a host manager would describe it."""

    title: str
    type: str
    host: str  # HOST_ACCOUNT, an internal department, or a partner organisation
    description: str
    required: tuple[tuple[str, int], ...]
    nice: tuple[str, ...] = ()
    develops: tuple[str, ...] = ()
    status: str = "open"
    months: int = 6
    commitment: int = 100
    remote: str = "hybrid"
    location: str | None = None  # None: where the host manager works
    host_name: str | None = None  # a partner's staff member
    grades: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    min_service_months: int = 0
    requires_release: bool = True
    recharge_percent: int | None = None  # None: the home organisation keeps paying
    openings: int = 1


OPPORTUNITIES: tuple[OpportunityContent, ...] = (
    # ---- hosted by the documented host manager (Technology)
    OpportunityContent(
        "Platform engineering secondment: move our services to Kubernetes", "cross_departmental", HOST_ACCOUNT,
        "Join the platform team for six months while we move the customer-facing services from virtual machines "
        "to Kubernetes. You will containerise services with Docker, write deployment pipelines and pair with "
        "our site reliability engineers on the cut-over. Ideal for an engineer or technically minded analyst "
        "who wants hands-on cloud-native experience.",
        required=(("Docker", 2), ("Linux system administration", 2)),
        nice=("Python (computer programming)", "tools for software configuration management"),
        develops=("Kubernetes", "infrastructure as code", "continuous integration and delivery"),
        openings=2,
    ),
    OpportunityContent(
        "Accessibility champion for the customer portal", "short_project", HOST_ACCOUNT,
        "An eight-week project to audit the customer portal against WCAG 2.2 and fix what we find with the "
        "front-end team. You will test with screen readers, write up issues and help ship the fixes.",
        required=(("React (JavaScript library)", 2), ("JavaScript", 2)),
        nice=("use methodologies for user-centered design",),
        develops=("ICT accessibility standards", "test system accessibility for users with special needs"),
        months=2, commitment=40,
    ),
    OpportunityContent(
        "Cloud cost optimisation sprint", "short_project", HOST_ACCOUNT,
        "Our cloud bill has grown 40% in a year. Work with engineers and Finance to find the biggest savings: "
        "rightsizing, reserved capacity and switching off what nobody uses. Finance and data people welcome.",
        required=(("use spreadsheets software", 3), ("Amazon Web Services", 1)),
        nice=("financial analysis", "cost management"),
        develops=("design cloud architecture", "cost management"),
        months=3, commitment=50, remote="remote",
        departments=("Technology", "Finance", "Data & Analytics"),
    ),
    OpportunityContent(
        "Site reliability engineer in our Amsterdam hub", "international", HOST_ACCOUNT,
        "Spend six months with the Amsterdam platform team that runs our European services. You will join the "
        "on-call rota, improve monitoring and lead post-incident reviews. Relocation support is provided.",
        required=(("Linux system administration", 3), ("Python (computer programming)", 3), ("manage major incidents", 2)),
        nice=("Kubernetes",),
        develops=("cloud monitoring and reporting", "Kubernetes"),
        location="Amsterdam", remote="on_site", min_service_months=12,
    ),
    OpportunityContent(
        "Security awareness campaign lead", "cross_departmental", HOST_ACCOUNT,
        "Design and run this year's security awareness campaign: phishing simulations, short videos and talks "
        "for every directorate. Suits a communicator with an interest in cyber security.",
        required=(("give live presentation", 3), ("cyber security", 1)),
        nice=("develop digital content",),
        develops=("implement ICT security policies", "cyber security"),
        status="draft", months=4, commitment=40,
    ),
    # ---- Data & Analytics
    OpportunityContent(
        "Customer churn model for Customer Service", "cross_departmental", "Data & Analytics",
        "Build and explain a model that predicts which customers are about to leave, so advisers can call them "
        "first. You will work with call-centre data, test the model with team leaders and present the results.",
        required=(("Python (computer programming)", 3), ("SQL", 3), ("machine learning", 2)),
        nice=("scikit-learn", "pandas (Python library)"),
        develops=("utilise machine learning", "deliver visual presentation of data"),
        commitment=60,
    ),
    OpportunityContent(
        "Data visualisation for the board pack", "short_project", "Data & Analytics",
        "Turn the monthly board pack from forty pages of tables into a clear dashboard. Two months, part time, "
        "fully remote; you will learn Power BI from our BI developers.",
        required=(("use spreadsheets software", 3), ("deliver visual presentation of data", 2)),
        nice=("Microsoft Power BI",),
        develops=("Microsoft Power BI", "data visualisation software"),
        months=2, commitment=30, remote="remote",
    ),
    OpportunityContent(
        "Machine learning research placement in Amsterdam", "international", "Data & Analytics",
        "Work with the Amsterdam research group on language models that read customer emails and route them. "
        "Strong Python and machine learning needed; you will come back able to run NLP projects here.",
        required=(("Python (computer programming)", 3), ("machine learning", 3), ("deep learning", 2)),
        develops=("natural language processing", "MLOps"),
        location="Amsterdam", grades=("G6", "G7", "G8"), min_service_months=24,
    ),
    # ---- Finance
    OpportunityContent(
        "Finance business partner to Technology", "cross_departmental", "Finance",
        "Be Technology's finance business partner for nine months: own the budget, challenge spend and help "
        "engineering leaders build business cases for new platforms.",
        required=(("financial analysis", 3), ("manage budgets", 3)),
        nice=("cost management",),
        develops=("define technology strategy", "manage relationships with stakeholders"),
        months=9, grades=("G6", "G7"),
    ),
    OpportunityContent(
        "IFRS 17 readiness project", "short_project", "Finance",
        "Help the reporting team get our insurance subsidiary ready for IFRS 17: map the data, test the new "
        "disclosures and document the controls.",
        required=(("international financial reporting standards", 3), ("prepare financial statements", 3)),
        develops=("perform project management",),
        status="closed", months=3, commitment=50,
    ),
    OpportunityContent(
        "Treasury analyst in the Dublin office", "international", "Finance",
        "Cover cash management for our Irish entity for six months while the team grows.",
        required=(("handle cash flow", 3), ("treasury management system", 2)),
        develops=("investment analysis",),
        status="filled", location="Dublin", remote="on_site",
    ),
    # ---- People & HR
    OpportunityContent(
        "Inclusive recruitment pilot", "cross_departmental", "People & HR",
        "Help us pilot anonymised applications and structured interviews in three directorates, and measure "
        "whether they widen who we hire. Hiring managers from any department are welcome.",
        required=(("interview techniques", 2),),
        nice=("equality, diversity and inclusion",),
        develops=("recruit employees", "write job descriptions", "promote inclusion"),
        months=4, commitment=40,
    ),
    OpportunityContent(
        "Learning designer for the data skills academy", "cross_departmental", "People & HR",
        "Design the courses of our new data skills academy with the L&D team: work out what people need, "
        "build e-learning modules and teach the first cohorts.",
        required=(("perform data analysis", 3), ("give live presentation", 3)),
        develops=("learning needs analysis", "e-learning"),
        commitment=50,
    ),
    OpportunityContent(
        "Wellbeing programme coordinator", "short_project", "People & HR",
        "Coordinate the winter wellbeing programme across our offices.",
        required=(("assist in developing practices for well being of employees", 2),),
        status="cancelled", months=3, commitment=30,
    ),
    OpportunityContent(
        "HR systems secondment: Workday roll-out", "cross_departmental", "People & HR",
        "Join the Workday programme as a business analyst for the absence and performance modules: map today's "
        "processes, test the configuration and train managers.",
        required=(("human resource management", 2), ("analyse business processes", 2)),
        nice=("Workday HCM",),
        develops=("Workday HCM", "apply change management"),
        min_service_months=18,
    ),
    # ---- Marketing
    OpportunityContent(
        "Campaign analyst for the spring brand launch", "cross_departmental", "Marketing",
        "Measure what works in the spring launch: set up A/B tests, build the campaign dashboard and tell the "
        "brand team where to move budget each week.",
        required=(("perform data analysis", 3), ("SQL", 2)),
        nice=("Google Analytics",),
        develops=("marketing analytics", "A/B testing", "plan marketing campaigns"),
        months=4, commitment=60,
    ),
    OpportunityContent(
        "Content designer for the customer help centre", "cross_departmental", "Marketing",
        "Rewrite the help centre so customers can sort problems out themselves.",
        required=(("perform copywriting", 3), ("proofread text", 3)),
        develops=("customer journey mapping",),
        status="pending_approval", months=5, commitment=60,
    ),
    # ---- Operations
    OpportunityContent(
        "Sustainable procurement review", "cross_departmental", "Operations",
        "Review our top 50 suppliers for carbon and social value, and propose the scoring we should use in "
        "future tenders.",
        required=(("perform procurement processes", 2),),
        nice=("carbon accounting",),
        develops=("implement sustainable procurement", "carbon accounting", "ESG reporting"),
        months=5, commitment=50,
    ),
    OpportunityContent(
        "Warehouse systems project in Lisbon", "international", "Operations",
        "Help the Lisbon distribution centre move to the new warehouse management system.",
        required=(("warehouse operations", 3), ("carry out inventory planning", 2)),
        develops=("lead process optimisation",),
        status="closed", location="Lisbon", remote="on_site",
    ),
    # ---- Legal & Compliance
    OpportunityContent(
        "Data protection champion for the analytics platform", "cross_departmental", "Legal & Compliance",
        "Work with Information Governance to run data protection impact assessments for the new analytics "
        "platform, and write guidance analysts will actually read.",
        required=(("GDPR", 2),),
        nice=("SQL",),
        develops=("data protection impact assessment", "protect personal data and privacy"),
        months=3, commitment=30,
    ),
    OpportunityContent(
        "Freedom of Information backlog sprint", "short_project", "Legal & Compliance",
        "Clear the Freedom of Information backlog before the regulator's deadline.",
        required=(("Freedom of Information requests", 2),),
        status="filled", months=2, commitment=50,
    ),
    # ---- Customer Service
    OpportunityContent(
        "Voice of the customer insight analyst", "cross_departmental", "Customer Service",
        "Bring together surveys, complaints and call notes into one picture of what customers tell us, and "
        "help team leaders act on it.",
        required=(("perform data analysis", 2), ("analyse customer service surveys", 1)),
        develops=("net promoter score", "customer journey mapping", "customer insight"),
        commitment=60,
    ),
    OpportunityContent(
        "Complaints process redesign", "short_project", "Customer Service",
        "Redesign how complaints move between teams so customers get an answer in days, not weeks.",
        required=(("handle customer complaints", 3), ("analyse business processes", 2)),
        develops=("service design", "customer journey mapping"),
        months=3, commitment=50,
    ),
    # ---- Sales
    OpportunityContent(
        "Bid writer for public sector tenders", "cross_departmental", "Sales",
        "Write winning answers for three large public sector tenders with the bid team.",
        required=(("perform copywriting", 3),),
        nice=("develop business case",),
        develops=("develop business case", "negotiate sales contracts"),
        months=4, commitment=60,
    ),
    # ---- Strategy & Transformation
    OpportunityContent(
        "Strategy analyst: five-year plan refresh", "cross_departmental", "Strategy & Transformation",
        "Research markets and competitors and model scenarios for the group's next five-year plan, working "
        "directly with the executive team.",
        required=(("perform business analysis", 2), ("market analysis", 2), ("use spreadsheets software", 3)),
        develops=("strategic planning", "carry out strategic research"),
        grades=("G5", "G6", "G7"), min_service_months=12,
    ),
    OpportunityContent(
        "OKR coach for the Technology directorate", "short_project", "Strategy & Transformation",
        "Help Technology's teams write their first objectives and key results and run the quarterly reviews.",
        required=(("objectives and key results", 2),),
        nice=("coach employees",),
        develops=("coach employees", "objectives and key results"),
        months=3, commitment=20, remote="remote",
    ),
    # ---- Harbour Logistics (client)
    OpportunityContent(
        "Data engineer on the Harbour Logistics data platform", "vendor_client", "Harbour Logistics Ltd",
        "Join our client's data platform team in Liverpool to build the pipelines behind their new shipment "
        "tracking. Harbour Logistics pays for the secondment in full.",
        required=(("SQL", 3), ("Python (computer programming)", 3), ("data engineering", 2)),
        nice=("Apache Airflow", "Amazon Web Services"),
        develops=("dbt (data build tool)", "supply chain management"),
        host_name="Aisha Bello", min_service_months=12, recharge_percent=100,
    ),
    OpportunityContent(
        "Lean improvement secondment at Harbour Logistics", "vendor_client", "Harbour Logistics Ltd",
        "Work on site at our client's main depot to take waste out of the picking and packing process.",
        required=(("analyse business processes", 3), ("lean manufacturing", 2)),
        nice=("Lean Six Sigma",),
        develops=("supply chain management", "lead process optimisation"),
        host_name="Liam Doherty", remote="on_site", recharge_percent=50,
    ),
    OpportunityContent(
        "Contract review support for the Harbour Logistics account", "vendor_client", "Harbour Logistics Ltd",
        "Support the client's commercial team as they renegotiate their carrier contracts.",
        required=(("contract law", 3), ("commercial law", 2)),
        develops=("negotiate sales contracts",),
        host_name="Tom Gallagher", months=4, commitment=50, recharge_percent=75,
    ),
    OpportunityContent(
        "Key account secondment at Harbour Logistics", "inter_organisational", "Harbour Logistics Ltd",
        "See our biggest client from the inside: spend six months in Harbour Logistics' customer team and "
        "bring back what they need from us.",
        required=(("maintain relationship with customers", 3), ("identify customer requirements", 3)),
        develops=("supply chain management", "customer journey mapping"),
        host_name="Elena Marchetti", grades=("G6", "G7", "G8"), min_service_months=24, recharge_percent=100,
    ),
    OpportunityContent(
        "Transformation office secondment with Harbour Logistics", "inter_organisational", "Harbour Logistics Ltd",
        "Help run Harbour Logistics' transformation office: plan the roadmap, run the agile ceremonies and "
        "track the benefits.",
        required=(("perform project management", 3), ("apply change management", 2)),
        develops=("Agile project management", "Scrum", "objectives and key results"),
        host_name="Elena Marchetti", months=9, grades=("G7", "G8"), recharge_percent=50,
    ),
    # ---- Riverside Community Trust (charity)
    OpportunityContent(
        "Analytics for volunteer impact", "voluntary_sector", "Riverside Community Trust",
        "Help a local charity show funders the difference its volunteers make, one day a week, from home.",
        required=(("perform data analysis", 2), ("use spreadsheets software", 3)),
        develops=("build community relations", "manage volunteers"),
        host_name="Nadia Hussain", months=3, commitment=20, remote="remote",
    ),
    OpportunityContent(
        "Grant finance support", "voluntary_sector", "Riverside Community Trust",
        "Keep the Trust's grant budgets on track and help write the finance sections of two big bids.",
        required=(("manage budgets", 2), ("accounting techniques", 2)),
        develops=("write charity grant proposals", "monitor charity's budget"),
        host_name="Owen Pritchard", months=3, commitment=20,
    ),
    OpportunityContent(
        "Communications lead at Riverside Community Trust", "voluntary_sector", "Riverside Community Trust",
        "Tell the Trust's story: refresh its website, run its social media and write the annual review.",
        required=(("perform copywriting", 3), ("social media marketing techniques", 2)),
        develops=("integrate community outreach", "build community relations"),
        host_name="Callum Fraser", commitment=40,
    ),
    OpportunityContent(
        "Trustee board support", "voluntary_sector", "Riverside Community Trust",
        "Support the board as it writes its next three-year strategy.",
        required=(("strategic planning", 3),),
        develops=("coordinate charity services",),
        host_name="Ruth Adeyemi", status="draft", months=12, commitment=10, requires_release=False,
    ),
)

# Where the documented employee has already applied (title -> application status).
EMPLOYEE_APPLICATIONS = {
    "Campaign analyst for the spring brand launch": "submitted",  # waits for her line manager's release
    "Learning designer for the data skills academy": "withdrawn",
    "Voice of the customer insight analyst": "offered",  # she can accept or decline it
}
