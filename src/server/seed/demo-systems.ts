// The demo university's systems (issue 3): about 40 systems of Norrviken University in governance
// objects, with roles, dependencies, integrations with consented information contracts, documents and
// security records. Everything goes through the services, so every change is audited. A few gaps are
// planted on purpose for the reports: the research object has no IT system owner (G2/G3), the
// timetabling system manager's assignment ends next month, the student-records access-rights document
// is overdue for review (G11), and one contract waits for the source owner's consent (G9).
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import { createDependency } from '../modules/systems/dependencies.service.ts';
import { assignRole, createObject } from '../modules/systems/governance.service.ts';
import { consentToContract, createIntegration } from '../modules/systems/integrations.service.ts';
import {
  addFirewallRule,
  addRestoreTest,
  addVulnerability,
  putDocument,
  setBackupArrangement,
} from '../modules/systems/records.service.ts';
import type { SystemCreate } from '../modules/systems/systems.schema.ts';
import { addModule, createSystem, todayOf } from '../modules/systems/systems.service.ts';
import type {
  CRITICALITIES,
  DEPENDENCY_KINDS,
  DOCUMENT_KINDS,
  GOVERNANCE_ROLES,
  HOSTINGS,
  LEGAL_BASES,
  LIFECYCLES,
} from '../modules/systems/systems.tables.ts';
import { addDays } from '../platform/clock.ts';
import type { Actor, AppContext } from '../platform/context.ts';
import type { OrgRow } from './generate.ts';

type Lifecycle = (typeof LIFECYCLES)[number];
type Hosting = (typeof HOSTINGS)[number];
type Criticality = (typeof CRITICALITIES)[number];
type Role = (typeof GOVERNANCE_ROLES)[number];

/** A person of the demo organisation: the `i`-th person of a unit in demoOrgRows (0 is its head), or an employee id. */
type Who = [unit: string, index: number] | string;

type ObjectSpec = {
  name: string;
  unit: string;
  description: string;
  budget?: string;
  roles: { role: Role; who: Who; from?: number; untilNextMonth?: boolean; byUnit?: string }[];
};

type SystemSpec = {
  object: string;
  name: string;
  short: string;
  description: string;
  lifecycle?: Lifecycle;
  model: number;
  hosting: Hosting;
  criticality: Criticality;
  cia: [number, number, number];
  vendor?: string;
  categories?: string[];
  modules?: string[];
  test?: boolean;
  queue?: string;
  resolver?: string;
};

// Objects; `from` is how many years ago an appointment began (default 2).
const OBJECTS: ObjectSpec[] = [
  {
    name: 'Student Administration',
    unit: 'STU',
    description: 'Study documentation, admissions and degrees for all programmes and courses.',
    budget: '2400000',
    roles: [
      { role: 'system_owner', who: ['STU', 0] },
      { role: 'it_system_owner', who: ['IT', 0] },
      { role: 'system_manager', who: ['STU', 1] },
      { role: 'it_system_manager', who: ['IT', 2] },
      { role: 'business_specialist', who: ['STU', 2] },
      { role: 'business_specialist', who: ['STU', 3] },
      { role: 'it_specialist', who: ['IT', 6] },
      { role: 'reference_group', who: ['SCI-CS', 2], byUnit: 'SCI-CS' },
      { role: 'reference_group', who: ['HUM-LANG', 3], byUnit: 'HUM-LANG' },
      { role: 'steering_group', who: ['ADM', 4] },
    ],
  },
  {
    name: 'Digital Learning Environment',
    unit: 'STU',
    description: 'Course rooms, digital exams, lecture capture and text-matching for teaching.',
    budget: '1850000',
    roles: [
      { role: 'system_owner', who: ['STU', 0] },
      { role: 'it_system_owner', who: ['IT', 0] },
      { role: 'system_manager', who: ['STU', 4] },
      { role: 'it_system_manager', who: ['IT', 3] },
      { role: 'business_specialist', who: ['HUM-LANG', 4] },
      { role: 'it_specialist', who: ['IT', 7] },
      { role: 'reference_group', who: ['MED-NURS', 2], byUnit: 'MED-NURS' },
      { role: 'management_group', who: ['STU', 5] },
    ],
  },
  {
    name: 'Timetabling and Rooms',
    unit: 'STU',
    description: 'Schedules for teaching and exams, and booking of rooms and resources.',
    roles: [
      { role: 'system_owner', who: ['STU', 0] },
      // Planted gap: the system manager leaves the role next month and nobody is lined up (G2).
      { role: 'system_manager', who: ['STU', 6], untilNextMonth: true },
      { role: 'business_specialist', who: ['STU', 7] },
    ],
  },
  {
    name: 'Identity and Access Management',
    unit: 'IT',
    description: 'Accounts, single sign-on and multi-factor authentication for staff and students.',
    budget: '1200000',
    roles: [
      { role: 'system_owner', who: ['IT', 0] },
      { role: 'it_system_owner', who: ['IT', 1] },
      { role: 'system_manager', who: ['IT', 4] },
      { role: 'it_system_manager', who: ['IT', 5] },
      { role: 'it_specialist', who: ['IT', 8] },
      { role: 'it_specialist', who: ['IT', 9] },
    ],
  },
  {
    name: 'Collaboration and Communication',
    unit: 'IT',
    description: 'E-mail, calendar, meetings, intranet and the public website.',
    roles: [
      { role: 'system_owner', who: ['ADM', 3] },
      { role: 'it_system_owner', who: ['IT', 1] },
      { role: 'system_manager', who: ['ADM', 6] },
      { role: 'it_system_manager', who: ['IT', 10] },
      { role: 'it_specialist', who: ['IT', 11] },
    ],
  },
  {
    name: 'HR and Payroll',
    unit: 'HR',
    description: 'Employment, absence, recruitment and salaries.',
    budget: '1600000',
    roles: [
      { role: 'system_owner', who: ['HR', 0] },
      { role: 'it_system_owner', who: ['IT', 1] },
      { role: 'system_manager', who: ['HR', 1] },
      { role: 'it_system_manager', who: ['IT', 12] },
      { role: 'business_specialist', who: ['HR', 2] },
      { role: 'business_specialist', who: ['FIN', 3] },
    ],
  },
  {
    name: 'Finance and Procurement',
    unit: 'FIN',
    description: 'Ledger, invoices, purchasing and travel expenses.',
    budget: '1400000',
    roles: [
      { role: 'system_owner', who: ['FIN', 0] },
      { role: 'it_system_owner', who: ['IT', 0] },
      { role: 'system_manager', who: ['FIN', 1] },
      { role: 'it_system_manager', who: ['IT', 13] },
      { role: 'business_specialist', who: ['FIN', 2] },
    ],
  },
  {
    name: 'Records Management',
    unit: 'ADM',
    description: 'Registration of public records (diarium), e-archive and electronic signatures.',
    roles: [
      { role: 'system_owner', who: ['ADM', 3] },
      { role: 'it_system_owner', who: ['IT', 1] },
      // The demo accounts: anna is a system manager, erik an IT system manager appointed by the IT system owner (G4).
      { role: 'system_manager', who: 'E000004' },
      { role: 'it_system_manager', who: 'E000005' },
      { role: 'business_specialist', who: ['ADM', 4] },
    ],
  },
  {
    name: 'Library Services',
    unit: 'LIB',
    description: 'The library catalogue, loans and discovery search.',
    roles: [
      { role: 'system_owner', who: ['LIB', 0] },
      { role: 'system_manager', who: ['LIB', 1] },
      { role: 'business_specialist', who: ['LIB', 2] },
    ],
  },
  {
    name: 'Research Support',
    unit: 'ADM',
    description: 'Research information, publications and research data storage.',
    // Planted gap: organisation model 3 expects an IT system owner, and nobody is appointed (G3).
    roles: [
      { role: 'system_owner', who: ['ADM', 5] },
      { role: 'system_manager', who: 'E000004' },
      { role: 'it_specialist', who: ['IT', 14] },
      { role: 'business_specialist', who: ['SCI-PHYS', 3] },
    ],
  },
  {
    name: 'Laboratory Notebooks',
    unit: 'SCI-CHEM',
    description: 'Electronic lab notebooks for the chemistry and physics laboratories.',
    roles: [
      { role: 'system_owner', who: ['SCI-CHEM', 0] },
      { role: 'system_manager', who: ['SCI-CHEM', 1] },
      { role: 'it_specialist', who: ['SCI-CHEM', 2] },
    ],
  },
  {
    name: 'Surveys and Evaluations',
    unit: 'SOC',
    description: 'Web surveys for research and course evaluations.',
    roles: [
      { role: 'system_owner', who: ['SOC', 0] },
      { role: 'system_manager', who: ['SOC-ECON', 1] },
    ],
  },
  {
    name: 'Dental Clinic Records',
    unit: 'MED-ODON',
    description: "Patient records and imaging of the university's dental clinic (Odontology).",
    budget: '900000',
    roles: [
      { role: 'system_owner', who: ['MED-ODON', 0] },
      { role: 'it_system_owner', who: ['IT', 0] },
      { role: 'system_manager', who: ['MED-ODON', 1] },
      { role: 'it_system_manager', who: ['IT', 15] },
      { role: 'business_specialist', who: ['MED-ODON', 2] },
      { role: 'business_specialist', who: ['MED-CLIN', 3] },
      { role: 'it_specialist', who: ['IT', 16] },
      { role: 'reference_group', who: ['MED-ODON', 4], byUnit: 'MED-ODON' },
    ],
  },
  {
    name: 'IT Service Management',
    unit: 'IT',
    description: 'Service desk, self-service portal and monitoring.',
    roles: [
      { role: 'system_owner', who: ['IT', 0] },
      { role: 'it_system_owner', who: ['IT', 1] },
      { role: 'system_manager', who: ['IT', 17] },
      { role: 'it_system_manager', who: ['IT', 18] },
    ],
  },
  {
    name: 'Infrastructure Platforms',
    unit: 'IT',
    description: 'Virtualisation, databases, storage and backup that other systems run on.',
    budget: '3100000',
    roles: [
      { role: 'system_owner', who: ['IT', 0] },
      { role: 'it_system_owner', who: ['IT', 1] },
      { role: 'system_manager', who: ['IT', 19] },
      { role: 'it_system_manager', who: ['IT', 20] },
      { role: 'it_specialist', who: ['IT', 21] },
      { role: 'it_specialist', who: ['IT', 22] },
    ],
  },
  {
    name: 'Alumni Relations',
    unit: 'ADM',
    description: 'Contacts with former students and donors.',
    roles: [
      { role: 'system_owner', who: ['ADM', 7] },
      { role: 'system_manager', who: ['STU', 8] },
    ],
  },
];

const SA = 'Student Administration';
const DLE = 'Digital Learning Environment';
const TT = 'Timetabling and Rooms';
const IAM = 'Identity and Access Management';
const COL = 'Collaboration and Communication';
const HRP = 'HR and Payroll';
const FIN = 'Finance and Procurement';
const REC = 'Records Management';
const LIB = 'Library Services';
const RES = 'Research Support';
const ELN = 'Laboratory Notebooks';
const SUR = 'Surveys and Evaluations';
const DENT = 'Dental Clinic Records';
const ITSM = 'IT Service Management';
const INFRA = 'Infrastructure Platforms';
const ALU = 'Alumni Relations';

export const DEMO_SYSTEMS: SystemSpec[] = [
  // Student administration
  {
    object: SA,
    name: 'Student Records',
    short: 'STUREC',
    description: 'National student records system (Ladok-like): registrations, results and degrees.',
    model: 2,
    hosting: 'vendor',
    criticality: 'critical',
    cia: [3, 4, 3],
    vendor: 'Ladok Consortium',
    categories: ['students'],
    modules: ['Registration', 'Results', 'Degrees'],
    test: true,
    queue: 'Study administration',
    resolver: 'Ladok support',
  },
  {
    object: SA,
    name: 'Admissions Portal',
    short: 'ADMIT',
    description: 'Applications to programmes and courses, merit rating and admission decisions.',
    model: 2,
    hosting: 'vendor',
    criticality: 'high',
    cia: [3, 3, 3],
    vendor: 'Antagning Services AB',
    categories: ['applicants'],
    test: true,
  },
  {
    object: SA,
    name: 'Degree Certificate Service',
    short: 'DIPLOMA',
    description: 'Issues and verifies digital degree certificates.',
    model: 2,
    hosting: 'central_it',
    criticality: 'medium',
    cia: [2, 4, 2],
  },
  {
    object: SA,
    name: 'Legacy Student Portal',
    short: 'OLDPORTAL',
    description: 'The old student web portal, replaced by the learning platform and student records.',
    lifecycle: 'being_phased_out',
    model: 2,
    hosting: 'own',
    criticality: 'low',
    cia: [2, 2, 1],
  },
  // Digital learning environment
  {
    object: DLE,
    name: 'Learning Platform',
    short: 'LMS',
    description: 'Course rooms, assignments and grading (Canvas-like learning management system).',
    model: 3,
    hosting: 'vendor',
    criticality: 'critical',
    cia: [2, 3, 4],
    vendor: 'Lumen Learning Cloud',
    categories: ['students', 'employees'],
    modules: ['Course rooms', 'Assignments', 'Gradebook'],
    test: true,
    queue: 'E-learning',
    resolver: 'LMS team',
  },
  {
    object: DLE,
    name: 'Digital Exam Platform',
    short: 'EXAM',
    description: 'Digital on-campus and home exams with anonymous marking.',
    model: 3,
    hosting: 'vendor',
    criticality: 'high',
    cia: [3, 4, 3],
    vendor: 'Examica AB',
    test: true,
  },
  {
    object: DLE,
    name: 'Text-Matching Service',
    short: 'TEXTMATCH',
    description: 'Checks submitted texts against sources for plagiarism.',
    model: 3,
    hosting: 'vendor',
    criticality: 'medium',
    cia: [2, 2, 2],
    vendor: 'Originalis',
  },
  {
    object: DLE,
    name: 'Video Platform',
    short: 'PLAY',
    description: 'Lecture capture, streaming and video publishing.',
    model: 3,
    hosting: 'vendor',
    criticality: 'medium',
    cia: [1, 2, 2],
    vendor: 'Streamhall',
    categories: ['employees'],
  },
  {
    object: DLE,
    name: 'Course Evaluation',
    short: 'COURSEVAL',
    description: 'Course evaluations for students, with summaries for teachers.',
    lifecycle: 'planned',
    model: 3,
    hosting: 'central_it',
    criticality: 'low',
    cia: [2, 2, 1],
  },
  // Timetabling and rooms
  {
    object: TT,
    name: 'Timetabling',
    short: 'TIMETABLE',
    description: 'Schedules for teaching, exams and rooms.',
    model: 4,
    hosting: 'vendor',
    criticality: 'high',
    cia: [1, 3, 3],
    vendor: 'TimeWeave',
    categories: ['students', 'employees'],
  },
  {
    object: TT,
    name: 'Room Booking',
    short: 'ROOMS',
    description: 'Self-service booking of group rooms and meeting rooms.',
    model: 4,
    hosting: 'central_it',
    criticality: 'low',
    cia: [1, 2, 2],
    categories: ['employees'],
  },
  {
    object: TT,
    name: 'Legacy Timetable Viewer',
    short: 'OLDSCHED',
    description: 'The former timetable web viewer.',
    lifecycle: 'retired',
    model: 4,
    hosting: 'own',
    criticality: 'low',
    cia: [1, 1, 1],
  },
  // Identity and access
  {
    object: IAM,
    name: 'Identity Management',
    short: 'IAM',
    description:
      'Accounts and entitlements for staff, students and affiliates, fed from HR and student records.',
    model: 1,
    hosting: 'central_it',
    criticality: 'critical',
    cia: [3, 4, 4],
    vendor: 'OpenIdentity',
    categories: ['employees', 'students'],
    modules: ['Provisioning', 'Self-service'],
    test: true,
    queue: 'Accounts',
    resolver: 'Identity team',
  },
  {
    object: IAM,
    name: 'Single Sign-On',
    short: 'SSO',
    description: 'SAML and OpenID Connect identity provider for all web services.',
    model: 1,
    hosting: 'central_it',
    criticality: 'critical',
    cia: [3, 4, 4],
    test: true,
    queue: 'Accounts',
    resolver: 'Identity team',
  },
  {
    object: IAM,
    name: 'Multi-Factor Authentication',
    short: 'MFA',
    description: 'Second factor for sign-in to sensitive systems.',
    model: 1,
    hosting: 'vendor',
    criticality: 'high',
    cia: [3, 3, 4],
    vendor: 'KeyGuard',
  },
  // Collaboration
  {
    object: COL,
    name: 'E-mail and Calendar',
    short: 'MAIL',
    description: 'E-mail, calendars and contacts for staff and students.',
    model: 1,
    hosting: 'vendor',
    criticality: 'critical',
    cia: [3, 3, 4],
    vendor: 'Cloudoffice',
    categories: ['employees', 'students'],
    queue: 'E-mail',
    resolver: 'Collaboration team',
  },
  {
    object: COL,
    name: 'Video Meetings and Chat',
    short: 'MEET',
    description: 'Online meetings, chat and team spaces.',
    model: 1,
    hosting: 'vendor',
    criticality: 'high',
    cia: [2, 2, 3],
    vendor: 'Cloudoffice',
    categories: ['employees'],
  },
  {
    object: COL,
    name: 'Intranet',
    short: 'INTRA',
    description: 'News, staff handbook and forms for employees.',
    model: 1,
    hosting: 'central_it',
    criticality: 'medium',
    cia: [2, 2, 2],
    categories: ['employees'],
  },
  {
    object: COL,
    name: 'Web Content Management',
    short: 'WEBCMS',
    description: 'The public website norrviken.example and its editors.',
    model: 1,
    hosting: 'central_it',
    criticality: 'high',
    cia: [1, 3, 3],
    test: true,
  },
  // HR and payroll
  {
    object: HRP,
    name: 'HR System',
    short: 'HRM',
    description: 'Employments, positions, absence and organisation.',
    model: 2,
    hosting: 'vendor',
    criticality: 'high',
    cia: [3, 4, 3],
    vendor: 'Personalia AB',
    categories: ['employees'],
    modules: ['Employment', 'Absence', 'Organisation'],
    test: true,
  },
  {
    object: HRP,
    name: 'Payroll',
    short: 'PAYROLL',
    description: 'Monthly salaries, taxes and pension reporting.',
    model: 2,
    hosting: 'vendor',
    criticality: 'critical',
    cia: [4, 4, 3],
    vendor: 'Personalia AB',
    categories: ['employees'],
    test: true,
  },
  {
    object: HRP,
    name: 'Recruitment',
    short: 'RECRUIT',
    description: 'Job advertisements and applications for positions.',
    model: 2,
    hosting: 'vendor',
    criticality: 'medium',
    cia: [3, 2, 2],
    vendor: 'Talentia',
    categories: ['applicants'],
  },
  // Finance and procurement
  {
    object: FIN,
    name: 'Finance System',
    short: 'ERP',
    description: 'General ledger, accounts payable and receivable, budgeting.',
    model: 2,
    hosting: 'vendor',
    criticality: 'critical',
    cia: [2, 4, 3],
    vendor: 'Ekonomia',
    categories: ['employees'],
    modules: ['Ledger', 'Accounts payable', 'Invoicing'],
    test: true,
  },
  {
    object: FIN,
    name: 'E-Procurement',
    short: 'PROCURE',
    description: 'Purchase requisitions, orders and supplier catalogues.',
    model: 2,
    hosting: 'vendor',
    criticality: 'medium',
    cia: [2, 3, 2],
    vendor: 'Inköpsportalen',
  },
  {
    object: FIN,
    name: 'Travel and Expenses',
    short: 'TRAVEL',
    description: 'Travel bookings and expense claims.',
    model: 2,
    hosting: 'vendor',
    criticality: 'low',
    cia: [2, 2, 2],
    vendor: 'Resia',
    categories: ['employees'],
  },
  // Records management
  {
    object: REC,
    name: 'Document and Records Management',
    short: 'DIARIUM',
    description: 'Registration of public records, cases and decisions (diarium).',
    model: 3,
    hosting: 'central_it',
    criticality: 'high',
    cia: [3, 4, 3],
    vendor: 'Akta Software',
    categories: ['employees', 'students'],
    modules: ['Registry', 'Meetings'],
    test: true,
  },
  {
    object: REC,
    name: 'E-Archive',
    short: 'EARCHIVE',
    description: 'Long-term preservation of closed cases and documents.',
    model: 3,
    hosting: 'central_it',
    criticality: 'medium',
    cia: [3, 4, 2],
    vendor: 'Akta Software',
    modules: ['Case', 'Document'],
  },
  {
    object: REC,
    name: 'E-Signature',
    short: 'ESIGN',
    description: 'Electronic signing of decisions and agreements.',
    model: 3,
    hosting: 'vendor',
    criticality: 'medium',
    cia: [2, 4, 2],
    vendor: 'Signa',
    categories: ['employees'],
  },
  // Library
  {
    object: LIB,
    name: 'Library System',
    short: 'LIBSYS',
    description: 'Catalogue, loans and patrons of the university library.',
    model: 4,
    hosting: 'vendor',
    criticality: 'medium',
    cia: [2, 2, 2],
    vendor: 'Bibliotheca Nordica',
    categories: ['students', 'employees'],
  },
  {
    object: LIB,
    name: 'Discovery Search',
    short: 'DISCOVERY',
    description: 'One search box for the catalogue, e-journals and databases.',
    model: 4,
    hosting: 'vendor',
    criticality: 'low',
    cia: [1, 2, 2],
    vendor: 'Bibliotheca Nordica',
  },
  // Research
  {
    object: RES,
    name: 'Research Information System',
    short: 'CRIS',
    description: 'Projects, publications, grants and researcher profiles.',
    model: 1,
    hosting: 'vendor',
    criticality: 'medium',
    cia: [2, 3, 2],
    vendor: 'Forskningsdata AB',
    categories: ['employees'],
  },
  {
    object: RES,
    name: 'Research Data Storage',
    short: 'RDS',
    description: 'Secure storage for research data, including data about research subjects.',
    model: 1,
    hosting: 'central_it',
    criticality: 'high',
    cia: [4, 4, 2],
    categories: ['research subjects'],
  },
  {
    object: ELN,
    name: 'Electronic Lab Notebook',
    short: 'ELN',
    description: 'Notebooks, protocols and samples of the laboratories.',
    model: 5,
    hosting: 'vendor',
    criticality: 'medium',
    cia: [3, 4, 2],
    vendor: 'LabLedger',
    categories: ['research subjects'],
  },
  {
    object: SUR,
    name: 'Survey Tool',
    short: 'SURVEY',
    description: 'Web surveys for research projects and course evaluations.',
    model: 4,
    hosting: 'central_it',
    criticality: 'medium',
    cia: [3, 3, 2],
    vendor: 'Enkätia',
    categories: ['research subjects', 'students'],
  },
  // Dental clinic
  {
    object: DENT,
    name: 'Dental Health Records',
    short: 'DENTREC',
    description: 'Patient records, treatment plans and bookings of the dental clinic (Odontology).',
    model: 2,
    hosting: 'vendor',
    criticality: 'critical',
    cia: [4, 4, 4],
    vendor: 'Journalia Dental',
    categories: ['patients'],
    modules: ['Journal', 'Treatment plans', 'Booking'],
    test: true,
    queue: 'Clinical systems',
    resolver: 'Clinic IT',
  },
  {
    object: DENT,
    name: 'Dental Imaging',
    short: 'DENTIMG',
    description: 'X-ray and intraoral images linked to the patient record.',
    model: 2,
    hosting: 'own',
    criticality: 'high',
    cia: [4, 4, 3],
    vendor: 'Radiodent',
    categories: ['patients'],
  },
  // IT service management
  {
    object: ITSM,
    name: 'Service Desk',
    short: 'SERVICEDESK',
    description: 'Tickets, self-service portal and knowledge base for IT support.',
    model: 1,
    hosting: 'vendor',
    criticality: 'high',
    cia: [2, 3, 3],
    vendor: 'Helpline Systems',
    categories: ['employees', 'students'],
    queue: 'IT support',
    resolver: 'Service desk',
  },
  {
    object: ITSM,
    name: 'Monitoring',
    short: 'MONITOR',
    description: 'Availability and performance monitoring with alerting.',
    model: 1,
    hosting: 'own',
    criticality: 'medium',
    cia: [1, 3, 3],
  },
  // Infrastructure
  {
    object: INFRA,
    name: 'Virtualisation Platform',
    short: 'VIRT',
    description: 'The virtual-machine clusters in both data centres.',
    model: 1,
    hosting: 'own',
    criticality: 'critical',
    cia: [3, 4, 4],
    vendor: 'HyperStack',
    queue: 'Infrastructure',
    resolver: 'Platform team',
  },
  {
    object: INFRA,
    name: 'Database Platform',
    short: 'DBP',
    description: 'Shared PostgreSQL and SQL Server clusters.',
    model: 1,
    hosting: 'own',
    criticality: 'critical',
    cia: [3, 4, 4],
    queue: 'Infrastructure',
    resolver: 'Database team',
  },
  {
    object: INFRA,
    name: 'Backup Platform',
    short: 'BACKUP',
    description: 'Backups of servers, databases and file storage, with off-site copies.',
    model: 1,
    hosting: 'own',
    criticality: 'critical',
    cia: [4, 4, 3],
    vendor: 'Vaultline',
  },
  {
    object: INFRA,
    name: 'File Storage',
    short: 'FILES',
    description: 'Home directories and shared folders.',
    model: 1,
    hosting: 'own',
    criticality: 'high',
    cia: [3, 3, 3],
    categories: ['employees'],
  },
  {
    object: ALU,
    name: 'Alumni CRM',
    short: 'ALUMNI',
    description: 'Contacts and events for alumni and donors.',
    lifecycle: 'planned',
    model: 4,
    hosting: 'vendor',
    criticality: 'low',
    cia: [2, 2, 1],
    vendor: 'Relatio',
    categories: ['students'],
  },
];

type Kind = (typeof DEPENDENCY_KINDS)[number];
/** [dependent, needs, kind]: the first system needs the second to work. */
const DEPENDENCIES: [string, string, Kind][] = [
  // Authentication on identity management (through single sign-on)
  ...[
    'STUREC',
    'ADMIT',
    'LMS',
    'EXAM',
    'PLAY',
    'TIMETABLE',
    'ROOMS',
    'MAIL',
    'MEET',
    'INTRA',
    'HRM',
    'ERP',
    'PROCURE',
    'TRAVEL',
    'DIARIUM',
    'ESIGN',
    'LIBSYS',
    'CRIS',
    'ELN',
    'SURVEY',
    'SERVICEDESK',
    'ALUMNI',
    'COURSEVAL',
  ].map((s): [string, string, Kind] => [s, 'SSO', 'authentication']),
  ['DENTREC', 'MFA', 'authentication'],
  ['RDS', 'MFA', 'authentication'],
  ['SSO', 'IAM', 'authentication'],
  ['MFA', 'IAM', 'runtime'],
  ['FILES', 'IAM', 'authentication'],
  // Hosting on the platforms
  ...[
    'IAM',
    'SSO',
    'DIPLOMA',
    'INTRA',
    'WEBCMS',
    'DIARIUM',
    'EARCHIVE',
    'RDS',
    'SURVEY',
    'DENTIMG',
    'MONITOR',
    'DBP',
    'FILES',
    'OLDPORTAL',
    'COURSEVAL',
    'ROOMS',
  ].map((s): [string, string, Kind] => [s, 'VIRT', 'hosting']),
  ...['IAM', 'DIARIUM', 'EARCHIVE', 'SURVEY', 'DENTIMG', 'WEBCMS', 'ROOMS'].map(
    (s): [string, string, Kind] => [s, 'DBP', 'hosting'],
  ),
  ['BACKUP', 'FILES', 'runtime'],
  // Data the systems need from each other
  ['IAM', 'HRM', 'data'],
  ['IAM', 'STUREC', 'data'],
  ['LMS', 'STUREC', 'data'],
  ['EXAM', 'LMS', 'runtime'],
  ['TIMETABLE', 'STUREC', 'data'],
  ['DIPLOMA', 'STUREC', 'data'],
  ['DIPLOMA', 'ESIGN', 'runtime'],
  ['PAYROLL', 'HRM', 'data'],
  ['ERP', 'PAYROLL', 'data'],
  ['EARCHIVE', 'DIARIUM', 'data'],
  ['DENTIMG', 'DENTREC', 'runtime'],
  ['SERVICEDESK', 'IAM', 'data'],
  ['CRIS', 'HRM', 'data'],
  ['MAIL', 'IAM', 'data'],
  ['OLDPORTAL', 'STUREC', 'data'],
];

type Flow = {
  source: string;
  target: string;
  name: string;
  items: string[];
  purpose: string;
  categories?: string[];
  basis?: (typeof LEGAL_BASES)[number];
  /** Left waiting for the source owner's consent (G9). */
  proposedOnly?: boolean;
};
const FLOWS: Flow[] = [
  {
    source: 'STUREC',
    target: 'LMS',
    name: 'Course registrations to the learning platform',
    items: ['personal identity number', 'name', 'e-mail', 'course registrations', 'groups'],
    purpose: 'Give registered students access to their course rooms.',
    categories: ['students'],
    basis: 'public_task',
  },
  {
    source: 'ADMIT',
    target: 'STUREC',
    name: 'Admission decisions',
    items: ['applicant id', 'name', 'programme', 'decision'],
    purpose: 'Create study rights for admitted applicants.',
    categories: ['applicants'],
    basis: 'public_task',
  },
  {
    source: 'STUREC',
    target: 'IAM',
    name: 'Students to identity management',
    items: ['personal identity number', 'name', 'programme', 'registration period'],
    purpose: 'Create and end student accounts.',
    categories: ['students'],
    basis: 'public_task',
  },
  {
    source: 'HRM',
    target: 'IAM',
    name: 'Employees to identity management',
    items: ['employee id', 'name', 'unit', 'employment period', 'title'],
    purpose: 'Create, change and end staff accounts.',
    categories: ['employees'],
    basis: 'contract',
  },
  {
    source: 'IAM',
    target: 'MAIL',
    name: 'Accounts to e-mail and calendar',
    items: ['username', 'name', 'e-mail address', 'affiliation'],
    purpose: 'Provision mailboxes and calendars.',
    categories: ['employees', 'students'],
    basis: 'contract',
  },
  {
    source: 'IAM',
    target: 'SERVICEDESK',
    name: 'Users to the service desk',
    items: ['username', 'name', 'e-mail address', 'unit'],
    purpose: 'Identify the callers of support tickets.',
    categories: ['employees', 'students'],
    basis: 'legitimate_interests',
  },
  {
    source: 'STUREC',
    target: 'TIMETABLE',
    name: 'Course instances to timetabling',
    items: ['course code', 'course instance', 'number of registered students'],
    purpose: 'Plan teaching for the courses that run.',
  },
  {
    source: 'HRM',
    target: 'PAYROLL',
    name: 'Employments to payroll',
    items: ['employee id', 'name', 'salary', 'absence', 'bank account'],
    purpose: 'Pay salaries.',
    categories: ['employees'],
    basis: 'contract',
  },
  {
    source: 'PAYROLL',
    target: 'ERP',
    name: 'Salary costs to the ledger',
    items: ['cost centre', 'project', 'salary cost'],
    purpose: 'Book salary costs.',
  },
  {
    source: 'HRM',
    target: 'CRIS',
    name: 'Researchers to the research information system',
    items: ['employee id', 'name', 'unit', 'title'],
    purpose: 'Keep researcher profiles current.',
    categories: ['employees'],
    basis: 'public_task',
  },
  {
    source: 'DIARIUM',
    target: 'EARCHIVE',
    name: 'Closed cases to the e-archive',
    items: ['case', 'documents', 'metadata', 'parties'],
    purpose: 'Preserve closed cases as the archive act requires.',
    categories: ['employees', 'students'],
    basis: 'legal_obligation',
  },
  {
    source: 'DENTREC',
    target: 'DENTIMG',
    name: 'Patients to dental imaging',
    items: ['patient id', 'name', 'referral'],
    purpose: 'Link images to the right patient record.',
    categories: ['patients'],
    basis: 'legal_obligation',
  },
  {
    source: 'SURVEY',
    target: 'RDS',
    name: 'Survey responses to research data storage',
    items: ['respondent code', 'responses', 'consent record'],
    purpose: 'Store research data securely for analysis.',
    categories: ['research subjects'],
    basis: 'public_task',
  },
  {
    source: 'LMS',
    target: 'TEXTMATCH',
    name: 'Submissions to text matching',
    items: ['student name', 'submitted text', 'course'],
    purpose: 'Check submissions for plagiarism.',
    categories: ['students'],
    basis: 'public_task',
  },
  {
    source: 'STUREC',
    target: 'ALUMNI',
    name: 'Graduates to the alumni CRM',
    items: ['name', 'e-mail', 'degree', 'graduation year'],
    purpose: 'Invite graduates to alumni activities.',
    categories: ['students'],
    basis: 'consent',
    proposedOnly: true,
  },
];

type DocSpec = {
  system: string;
  kind: (typeof DOCUMENT_KINDS)[number];
  who: Who;
  /** Months since the last review; past the interval makes it overdue. */
  reviewedMonthsAgo: number;
  interval?: number;
  link?: string;
  body?: string;
};
const DOCUMENTS: DocSpec[] = [
  {
    system: 'STUREC',
    kind: 'access_rights_lifecycle',
    who: ['STU', 1],
    // Planted: reviewed 14 months ago on a 12-month interval (G11, overdue).
    reviewedMonthsAgo: 14,
    link: 'https://intranet.norrviken.example/it/stu/access-rights',
  },
  {
    system: 'STUREC',
    kind: 'configuration',
    who: ['IT', 2],
    reviewedMonthsAgo: 3,
    body: 'Tenant configuration, study-period setup and result scales.',
  },
  {
    system: 'STUREC',
    kind: 'information_contracts',
    who: ['STU', 1],
    reviewedMonthsAgo: 2,
    link: 'https://intranet.norrviken.example/it/stu/contracts',
  },
  {
    system: 'LMS',
    kind: 'upgrade_process',
    who: ['IT', 3],
    reviewedMonthsAgo: 5,
    body: 'Vendor releases every third Saturday; teachers are told a week before on the intranet.',
  },
  {
    system: 'IAM',
    kind: 'logging',
    who: ['IT', 5],
    reviewedMonthsAgo: 4,
    body: 'Sign-ins and entitlement changes are logged for 18 months (decision IT-2024-12).',
  },
  {
    system: 'IAM',
    kind: 'access_rights_lifecycle',
    who: ['IT', 4],
    reviewedMonthsAgo: 1,
    link: 'https://intranet.norrviken.example/it/iam/lifecycle',
  },
  {
    system: 'DENTREC',
    kind: 'access_rights_lifecycle',
    who: ['MED-ODON', 1],
    reviewedMonthsAgo: 2,
    interval: 6,
    link: 'https://intranet.norrviken.example/odontology/records/access',
  },
  {
    system: 'DENTREC',
    kind: 'logging',
    who: ['MED-ODON', 1],
    reviewedMonthsAgo: 3,
    interval: 6,
    body: 'Every read of a patient record is logged and followed up monthly (Patient Data Act).',
  },
  {
    system: 'DIARIUM',
    kind: 'change_log',
    who: 'E000004',
    reviewedMonthsAgo: 1,
    link: 'https://intranet.norrviken.example/records/diarium/changes',
  },
  {
    system: 'HRM',
    kind: 'configuration',
    who: ['IT', 12],
    reviewedMonthsAgo: 6,
    body: 'Organisation sync nightly; employment types mapped to IAM affiliations.',
  },
  {
    system: 'VIRT',
    kind: 'configuration',
    who: ['IT', 20],
    reviewedMonthsAgo: 7,
    link: 'https://intranet.norrviken.example/it/platforms/virtualisation',
  },
];

/** Employee id of the `index`-th person of a unit (0 is the head), as demoOrgRows lays them out. */
function employeeIdOf(orgRows: OrgRow[], who: Who): string {
  if (typeof who === 'string') return who;
  const [unit, index] = who;
  const row = orgRows.filter((r) => r.unitCode === unit)[index];
  if (!row) throw new Error(`demo systems: unit ${unit} has no person ${index}`);
  return row.employeeId;
}

function addMonths(date: string, months: number) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const day = Math.min(Number(date.slice(8, 10)), 28);
  d.setUTCDate(day);
  return d.toISOString().slice(0, 10);
}
/** The 10th of next month. */
export function tenthOfNextMonth(today: string) {
  return `${addMonths(`${today.slice(0, 8)}01`, 1).slice(0, 8)}10`;
}

export async function seedDemoSystems(ctx: AppContext, actor: Actor, orgRows: OrgRow[]) {
  const today = todayOf(ctx);
  const personIds = new Map(
    (
      await rows<{ employee_id: string; id: string; name: string }>(
        ctx.db,
        sql`select employee_id, id, given_name || ' ' || family_name as name from persons`,
      )
    ).map((p) => [p.employee_id, p]),
  );
  const unitIds = new Map(
    (await rows<{ code: string; id: string }>(ctx.db, sql`select code, id from org_units`)).map((u) => [
      u.code,
      u.id,
    ]),
  );
  const person = (who: Who) => {
    const p = personIds.get(employeeIdOf(orgRows, who));
    if (!p) throw new Error(`demo systems: no person for ${JSON.stringify(who)}`);
    return p;
  };
  const unit = (code: string) => {
    const id = unitIds.get(code);
    if (!id) throw new Error(`demo systems: no unit ${code}`);
    return id;
  };

  // ---- governance objects and roles ----
  const objectIds = new Map<string, string>();
  const ownerOf = new Map<string, { id: string; name: string }>();
  for (const o of OBJECTS) {
    const created = await createObject(ctx, {
      actor,
      input: {
        name: o.name,
        description: o.description,
        owningUnitId: unit(o.unit),
        budgetFrame: o.budget ?? null,
      },
    });
    objectIds.set(o.name, created.id);
    // The IT system owner is appointed before the IT system manager, whom they appoint (G4).
    const order = (r: Role) => (r === 'it_system_manager' ? 1 : 0);
    const itso = o.roles.find((r) => r.role === 'it_system_owner');
    for (const r of [...o.roles].sort((a, b) => order(a.role) - order(b.role))) {
      const p = person(r.who);
      if (r.role === 'system_owner') ownerOf.set(o.name, p);
      await assignRole(ctx, {
        actor,
        objectId: created.id,
        input: {
          personId: p.id,
          role: r.role,
          validFrom: addDays(today, -365 * (r.from ?? 2)),
          validUntil: r.untilNextMonth ? tenthOfNextMonth(today) : null,
          appointedByPersonId:
            r.role === 'it_system_manager' && itso
              ? person(itso.who).id
              : r.role === 'system_owner'
                ? null
                : (ownerOf.get(o.name)?.id ?? null),
          appointedByUnitId: r.byUnit ? unit(r.byUnit) : null,
        },
      });
    }
  }

  // ---- systems ----
  const systemIds = new Map<string, string>();
  const objectOfSystem = new Map<string, string>();
  for (const s of DEMO_SYSTEMS) {
    const input: SystemCreate = {
      name: s.name,
      shortName: s.short,
      description: s.description,
      lifecycle: s.lifecycle ?? 'in_production',
      orgModel: s.model,
      vendor: s.vendor ?? (s.hosting === 'vendor' ? 'Unknown vendor' : null),
      contractOwner: s.vendor ? 'Procurement unit, Finance Office' : null,
      hosting: s.hosting,
      criticality: s.criticality,
      confidentiality: s.cia[0],
      integrity: s.cia[1],
      availability: s.cia[2],
      storesPersonalData: (s.categories ?? []).length > 0,
      personalDataCategories: s.categories ?? [],
      environments: s.test ? ['production', 'test'] : ['production'],
      serviceDeskQueue: s.queue ?? 'IT support',
      resolverGroup: s.resolver ?? null,
      resolverMembersReviewedOn: s.resolver ? addDays(today, -120) : null,
      governanceObjectId: objectIds.get(s.object)!,
    };
    const created = await createSystem(ctx, { actor, input });
    systemIds.set(s.short, created.id);
    objectOfSystem.set(s.short, s.object);
    for (const m of s.modules ?? []) await addModule(ctx, { actor, systemId: created.id, name: m });
  }
  const sys = (short: string) => {
    const id = systemIds.get(short);
    if (!id) throw new Error(`demo systems: no system ${short}`);
    return id;
  };

  // ---- dependencies ----
  for (const [from, to, kind] of DEPENDENCIES)
    await createDependency(ctx, {
      actor,
      input: { fromSystemId: sys(from), toSystemId: sys(to), kind, description: '' },
    });

  // ---- integrations: proposed by the target's system manager side (the seed), consented by the source owner (G9) ----
  for (const f of FLOWS) {
    const personal = (f.categories ?? []).length > 0;
    const integration = await createIntegration(ctx, {
      actor,
      input: {
        name: f.name,
        description: '',
        sourceSystemId: sys(f.source),
        targetSystemId: sys(f.target),
        contract: {
          dataItems: f.items,
          purpose: f.purpose,
          includesPersonalData: personal,
          personalDataCategories: f.categories ?? [],
          legalBasis: personal ? (f.basis ?? 'public_task') : null,
        },
      },
    });
    if (f.proposedOnly) continue;
    const owner = ownerOf.get(objectOfSystem.get(f.source)!)!;
    const ownerActor: Actor = {
      kind: 'user',
      accountId: null,
      personId: owner.id,
      label: `${owner.name} (demo seed)`,
      roles: [],
      via: 'cli',
    };
    await consentToContract(ctx, { actor: ownerActor, integrationId: integration.id, version: 1 });
  }

  // ---- documents ----
  for (const d of DOCUMENTS)
    await putDocument(ctx, {
      actor,
      systemId: sys(d.system),
      kind: d.kind,
      input: {
        link: d.link ?? null,
        body: d.body ?? null,
        ownerPersonId: person(d.who).id,
        reviewIntervalMonths: d.interval ?? 12,
        lastReviewedOn: addMonths(today, -d.reviewedMonthsAgo),
      },
    });

  // ---- security records (G12) ----
  for (const [short, text] of [
    ['BACKUP', 'Nightly incremental, weekly full; copies to the second data centre and off-site tape.'],
    ['DENTREC', "Vendor backs up hourly; daily export to the university's backup platform."],
    ['IAM', 'Nightly database dump to the backup platform; configuration in version control.'],
    ['FILES', 'Snapshots every four hours, kept 30 days; nightly backup.'],
  ] as const)
    await setBackupArrangement(ctx, { actor, systemId: sys(short), backupArrangement: text });
  await addRestoreTest(ctx, {
    actor,
    systemId: sys('DENTREC'),
    input: {
      testedOn: addMonths(today, -2),
      result: 'success',
      notes: 'Full restore to the test environment.',
    },
  });
  await addRestoreTest(ctx, {
    actor,
    systemId: sys('FILES'),
    input: {
      testedOn: addMonths(today, -5),
      result: 'partial',
      notes: 'Two shares restored slowly; ticket opened.',
    },
  });
  await addRestoreTest(ctx, {
    actor,
    systemId: sys('IAM'),
    input: { testedOn: addMonths(today, -1), result: 'success', notes: '' },
  });
  await addVulnerability(ctx, {
    actor,
    systemId: sys('WEBCMS'),
    input: {
      title: 'Stored cross-site scripting in the form plug-in',
      reference: 'CVE-2025-31337',
      exposureStartedOn: addMonths(today, -4),
      exposureEndedOn: addDays(addMonths(today, -4), 9),
    },
  });
  await addVulnerability(ctx, {
    actor,
    systemId: sys('DENTIMG'),
    input: {
      title: 'Outdated DICOM library with a known parsing flaw',
      reference: 'CVE-2026-10420',
      exposureStartedOn: addDays(today, -20),
      exposureEndedOn: null,
    },
  });
  await addFirewallRule(ctx, {
    actor,
    systemId: sys('DENTIMG'),
    input: {
      rule: 'allow tcp 104 from clinic-modalities to dentimg',
      justification: 'DICOM from the X-ray units in the clinic.',
      reviewOn: addMonths(today, 6),
    },
  });
  await addFirewallRule(ctx, {
    actor,
    systemId: sys('DBP'),
    input: {
      rule: 'allow tcp 5432 from app-servers to db-cluster',
      justification: 'Application servers reach the shared PostgreSQL clusters.',
      reviewOn: addMonths(today, 3),
    },
  });

  return {
    governanceObjects: OBJECTS.length,
    systems: DEMO_SYSTEMS.length,
    dependencies: DEPENDENCIES.length,
    integrations: FLOWS.length,
  };
}
