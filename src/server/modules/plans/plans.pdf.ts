// The PDF of a plan version for registration and archiving (G5): the main part, the activity list,
// the budget appendix, the per-system security and continuity checklists, and the signatures with
// date, version and the SHA-256 hash of the signed content; page numbers on every page; in the plan's
// language. Uses pdfkit's standard fonts (WinAnsi covers å, ä, ö).
import PDFDocument from 'pdfkit';
import type { PlanDocument } from './plans.service.ts';

type Lang = 'sv' | 'en';
type Sig = {
  role: 'system_owner' | 'it_system_owner';
  person: { displayName: string };
  signedAt: string;
  contentHash: string;
};

const T = {
  en: {
    title: 'Management plan',
    version: 'Version',
    status: 'Status',
    states: { draft: 'Draft', proposed: 'Proposed', approved: 'Approved', signed: 'Approved and signed' },
    notFinal: 'DRAFT – not approved',
    approvedBy: 'Approved by',
    hash: 'Content hash (SHA-256)',
    s1: '1. Scope',
    s2: '2. Goals',
    s3: '3. Governance organisation',
    s4: '4. Activities',
    s5: 'Appendix 1. Budget',
    s6: 'Appendix 3. Security and continuity checklist',
    s7: 'Signatures',
    noGoals: 'No goals recorded.',
    noActivities: 'No activities.',
    role: 'Role',
    name: 'Name',
    cols: ['#', 'Activity', 'Side', 'Kind', 'Timing', 'Responsible', 'Hours', 'Cost (SEK)', 'Status'],
    side: { business: 'Business', it: 'IT' },
    kind: { maintenance: 'Maintenance', development: 'Development' },
    statuses: {
      planned: 'Planned',
      ongoing: 'Ongoing',
      done: 'Done',
      postponed: 'Postponed',
      cancelled: 'Cancelled',
    },
    followUp: 'Follow-up',
    budgetCols: ['', 'Hours', 'Cost (SEK)'],
    total: 'Total',
    frame: 'Budget frame',
    difference: 'Difference (frame – cost)',
    noFrame: 'No budget frame set',
    quarter: 'Quarter',
    byQuarter: 'By quarter',
    notes: 'Notes',
    notAttested: 'No attested checklist for this system.',
    attested: 'Attested by',
    answers: { yes: 'YES', no: 'NO', partly: 'PARTLY', not_applicable: 'NOT APPLICABLE' },
    unanswered: '–',
    deviation: 'deviation',
    roles: { system_owner: 'System owner', it_system_owner: 'IT system owner' },
    signedOn: 'Signed',
    notSigned: 'Not signed',
    signLine: 'Signature and date',
    page: (a: number, b: number) => `Page ${a} of ${b}`,
    generated: 'Generated',
    systemScope: 'Systems in the governance object covered by this plan:',
  },
  sv: {
    title: 'Förvaltningsplan',
    version: 'Version',
    status: 'Status',
    states: {
      draft: 'Utkast',
      proposed: 'Föreslagen',
      approved: 'Fastställd',
      signed: 'Fastställd och undertecknad',
    },
    notFinal: 'UTKAST – ej fastställd',
    approvedBy: 'Fastställd av',
    hash: 'Innehållets kontrollsumma (SHA-256)',
    s1: '1. Omfattning',
    s2: '2. Mål',
    s3: '3. Förvaltningsorganisation',
    s4: '4. Aktivitetslista',
    s5: 'Bilaga 1. Budget',
    s6: 'Bilaga 3. Säkerhets- och kontinuitetschecklista (Infosäk KD)',
    s7: 'Underskrifter',
    noGoals: 'Inga mål angivna.',
    noActivities: 'Inga aktiviteter.',
    role: 'Roll',
    name: 'Namn',
    cols: ['#', 'Aktivitet', 'Sida', 'Typ', 'Tid', 'Ansvarig', 'Timmar', 'Kostnad (kr)', 'Status'],
    side: { business: 'Verksamhet', it: 'IT' },
    kind: { maintenance: 'Förvaltning', development: 'Utveckling' },
    statuses: {
      planned: 'Planerad',
      ongoing: 'Pågår',
      done: 'Klar',
      postponed: 'Uppskjuten',
      cancelled: 'Inställd',
    },
    followUp: 'Uppföljning',
    budgetCols: ['', 'Timmar', 'Kostnad (kr)'],
    total: 'Totalt',
    frame: 'Budgetram',
    difference: 'Differens (ram – kostnad)',
    noFrame: 'Ingen budgetram angiven',
    quarter: 'Kvartal',
    byQuarter: 'Per kvartal',
    notes: 'Kommentarer',
    notAttested: 'Ingen intygad checklista för systemet.',
    attested: 'Intygad av',
    answers: { yes: 'JA', no: 'NEJ', partly: 'DELVIS', not_applicable: 'EJ TILLÄMPLIGT' },
    unanswered: '–',
    deviation: 'avvikelse',
    roles: { system_owner: 'Systemägare', it_system_owner: 'IT-systemägare' },
    signedOn: 'Undertecknad',
    notSigned: 'Ej undertecknad',
    signLine: 'Underskrift och datum',
    page: (a: number, b: number) => `Sida ${a} av ${b}`,
    generated: 'Skapad',
    systemScope: 'System i förvaltningsobjektet som planen omfattar:',
  },
} as const;

const ROLE: Record<string, { en: string; sv: string }> = {
  system_owner: { en: 'System owner', sv: 'Systemägare' },
  it_system_owner: { en: 'IT system owner', sv: 'IT-systemägare' },
  system_manager: { en: 'System manager', sv: 'Systemförvaltare' },
  it_system_manager: { en: 'IT system manager', sv: 'IT-systemförvaltare' },
  business_specialist: { en: 'Business specialist', sv: 'Verksamhetsspecialist' },
  it_specialist: { en: 'IT specialist', sv: 'IT-specialist' },
  reference_group: { en: 'Reference group', sv: 'Referensgrupp' },
  steering_group: { en: 'Steering group', sv: 'Förvaltningsstyrgrupp' },
  management_group: { en: 'Management group', sv: 'Förvaltningsgrupp' },
};

const fmtDate = (iso: string | null, lang: Lang) =>
  iso
    ? new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
        timeZone: 'Europe/Stockholm',
        year: 'numeric',
        month: 'short',
        day: 'numeric',
      }).format(new Date(iso))
    : '';
const fmtDateTime = (iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    timeZone: 'Europe/Stockholm',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
const fmtNum = (n: number, lang: Lang, digits = 0) =>
  new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  })
    .format(n)
    .replace(/\u00a0|\u202f/g, ' ');

export async function renderPlanPdf(args: {
  doc: PlanDocument;
  state: 'draft' | 'proposed' | 'approved' | 'signed';
  contentHash: string | null;
  signatures: Sig[];
  generatedAt: Date;
}): Promise<Buffer> {
  const { doc: d, state } = args;
  const lang: Lang = d.language;
  const t = T[lang];
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    info: {
      Title: `${t.title} ${d.year} – ${d.object.name} (${t.version} ${d.number})`,
      Author: 'Steward',
      Subject: args.contentHash ? `SHA-256 ${args.contentHash}` : t.notFinal,
    },
    lang: lang === 'sv' ? 'sv-SE' : 'en-GB',
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => pdf.on('end', () => resolve(Buffer.concat(chunks))));

  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;
  const bottom = () => pdf.page.height - pdf.page.margins.bottom;
  const ensure = (h: number) => {
    if (pdf.y + h > bottom()) pdf.addPage();
  };
  const heading = (text: string) => {
    ensure(60);
    pdf.moveDown(0.8);
    pdf.font('Helvetica-Bold').fontSize(13).fillColor('#1a1a1a').text(text, left, pdf.y, { width });
    pdf
      .moveTo(left, pdf.y + 2)
      .lineTo(left + width, pdf.y + 2)
      .lineWidth(0.5)
      .strokeColor('#888888')
      .stroke();
    pdf.moveDown(0.6);
    pdf.font('Helvetica').fontSize(10);
  };
  const para = (text: string, opts: PDFKit.Mixins.TextOptions = {}) => {
    pdf
      .font('Helvetica')
      .fontSize(10)
      .fillColor('#1a1a1a')
      .text(text, left, pdf.y, { width, ...opts });
  };

  /** A simple table: fixed column widths, wrapping cells, header repeated on new pages. */
  const table = (
    cols: { label: string; w: number; align?: 'left' | 'right' }[],
    data: string[][],
    opts: { zebra?: boolean; bold?: number[]; size?: number } = {},
  ) => {
    const size = opts.size ?? 8.5;
    const total = cols.reduce((s, c) => s + c.w, 0);
    const ws = cols.map((c) => (c.w / total) * width);
    const pad = 3;
    const drawHeader = () => {
      pdf.font('Helvetica-Bold').fontSize(size);
      const h =
        Math.max(...cols.map((c, i) => pdf.heightOfString(c.label, { width: ws[i] - 2 * pad }))) + 2 * pad;
      ensure(h + 20);
      const y = pdf.y;
      pdf.rect(left, y, width, h).fillColor('#e8eaee').fill();
      let x = left;
      cols.forEach((c, i) => {
        pdf
          .fillColor('#1a1a1a')
          .text(c.label, x + pad, y + pad, { width: ws[i] - 2 * pad, align: c.align ?? 'left' });
        x += ws[i];
      });
      pdf.y = y + h;
    };
    drawHeader();
    data.forEach((row, r) => {
      const bold = opts.bold?.includes(r);
      pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
      const h =
        Math.max(...row.map((cell, i) => pdf.heightOfString(cell || ' ', { width: ws[i] - 2 * pad }))) +
        2 * pad;
      if (pdf.y + h > bottom()) {
        pdf.addPage();
        drawHeader();
        pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
      }
      const y = pdf.y;
      if (opts.zebra !== false && r % 2 === 1) pdf.rect(left, y, width, h).fillColor('#f5f6f8').fill();
      let x = left;
      row.forEach((cell, i) => {
        pdf
          .fillColor('#1a1a1a')
          .text(cell, x + pad, y + pad, { width: ws[i] - 2 * pad, align: cols[i].align ?? 'left' });
        x += ws[i];
      });
      pdf
        .moveTo(left, y + h)
        .lineTo(left + width, y + h)
        .lineWidth(0.3)
        .strokeColor('#c8ccd2')
        .stroke();
      pdf.y = y + h;
    });
    pdf.x = left;
    pdf.moveDown(0.5);
  };

  // ---- title block ----
  pdf
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#555555')
    .text(t.title.toUpperCase(), left, pdf.y, { width, characterSpacing: 1 });
  pdf.font('Helvetica-Bold').fontSize(22).fillColor('#1a1a1a').text(`${d.object.name}`, { width });
  pdf.font('Helvetica').fontSize(14).text(`${t.title} ${d.year}`, { width });
  pdf.moveDown(0.6);
  const meta: [string, string][] = [
    [t.version, String(d.number)],
    [t.status, t.states[state]],
  ];
  if (d.approvedBy) meta.push([t.approvedBy, `${d.approvedBy.displayName}, ${fmtDate(d.approvedAt, lang)}`]);
  if (args.contentHash) meta.push([t.hash, args.contentHash]);
  for (const [k, v] of meta) {
    const y = pdf.y;
    pdf.font('Helvetica-Bold').fontSize(9.5).fillColor('#1a1a1a').text(k, left, y, { width: 170 });
    pdf
      .font(k === t.hash ? 'Courier' : 'Helvetica')
      .fontSize(k === t.hash ? 8.5 : 9.5)
      .text(v, left + 175, y, { width: width - 175 });
    pdf.moveDown(0.15);
  }
  if (state === 'draft' || state === 'proposed') {
    pdf.moveDown(0.4);
    pdf.font('Helvetica-Bold').fontSize(11).fillColor('#b00020').text(t.notFinal, left, pdf.y, { width });
    pdf.fillColor('#1a1a1a');
  }

  // ---- main part ----
  heading(t.s1);
  para(t.systemScope);
  pdf.moveDown(0.3);
  for (const s of d.scope) para(`•  ${s.name} (${s.shortName})`, { indent: 8 });

  heading(t.s2);
  para(d.goals.trim() || t.noGoals);

  heading(t.s3);
  table(
    [
      { label: t.role, w: 2 },
      { label: t.name, w: 3 },
    ],
    d.organisation.map((o) => [ROLE[o.role]?.[lang] ?? o.role, o.displayName]),
  );

  heading(t.s4);
  if (!d.activities.length) para(t.noActivities);
  else {
    const timing = (a: PlanDocument['activities'][number]) =>
      a.startOn ? `${a.startOn}${a.endOn ? ` – ${a.endOn}` : ''}` : `Q${a.effectiveQuarter}`;
    table(
      [
        { label: t.cols[0], w: 0.45 },
        { label: t.cols[1], w: 3.3 },
        { label: t.cols[2], w: 1.45 },
        { label: t.cols[3], w: 1.55 },
        { label: t.cols[4], w: 1.1 },
        { label: t.cols[5], w: 1.7 },
        { label: t.cols[6], w: 1.05, align: 'right' },
        { label: t.cols[7], w: 1.3, align: 'right' },
        { label: t.cols[8], w: 1.45 },
      ],
      d.activities.map((a, i) => [
        String(i + 1),
        [a.title, a.description, a.followUp ? `${t.followUp}: ${a.followUp}` : ''].filter(Boolean).join('\n'),
        t.side[a.side],
        t.kind[a.kind],
        timing(a),
        a.responsible?.displayName ?? '',
        fmtNum(a.estimatedHours, lang),
        fmtNum(a.estimatedCost, lang),
        t.statuses[a.status],
      ]),
      { size: 8 },
    );
  }

  // ---- budget appendix ----
  heading(t.s5);
  const b = d.budget;
  const line = (label: string, x: { hours: number; cost: number }) => [
    label,
    fmtNum(x.hours, lang, 1),
    fmtNum(x.cost, lang),
  ];
  table(
    [
      { label: t.budgetCols[0], w: 3 },
      { label: t.budgetCols[1], w: 1.2, align: 'right' },
      { label: t.budgetCols[2], w: 1.6, align: 'right' },
    ],
    [
      line(t.side.business, b.bySide.business),
      line(t.side.it, b.bySide.it),
      line(t.kind.maintenance, b.byKind.maintenance),
      line(t.kind.development, b.byKind.development),
      ...b.byQuarter.map((q) => line(`${t.quarter} ${q.quarter}`, q)),
      line(t.total, b.total),
    ],
    { bold: [8] },
  );
  para(b.frame === null ? t.noFrame : `${t.frame}: ${fmtNum(b.frame, lang)} ${lang === 'sv' ? 'kr' : 'SEK'}`);
  if (b.difference !== null)
    para(`${t.difference}: ${fmtNum(b.difference, lang)} ${lang === 'sv' ? 'kr' : 'SEK'}`);
  if (d.budgetNotes.trim()) {
    pdf.moveDown(0.4);
    para(`${t.notes}: ${d.budgetNotes.trim()}`);
  }

  // ---- per-system appendices ----
  for (const a of d.appendices) {
    heading(`${t.s6} – ${a.system.name}`);
    if (!a.checklist) {
      para(t.notAttested);
      continue;
    }
    para(`${t.attested}: ${a.checklist.attestedBy}, ${fmtDate(a.checklist.attestedAt, lang)}`);
    pdf.moveDown(0.3);
    table(
      [
        { label: '#', w: 0.4 },
        { label: lang === 'sv' ? 'Fråga' : 'Question', w: 5 },
        { label: lang === 'sv' ? 'Svar' : 'Answer', w: 1.3 },
        { label: lang === 'sv' ? 'Kommentar' : 'Comment', w: 3 },
      ],
      a.checklist.answers.map((q, i) => [
        String(i + 1),
        q[lang],
        q.answer ? `${t.answers[q.answer]}${q.answer !== 'yes' ? ` (${t.deviation})` : ''}` : t.unanswered,
        q.comment,
      ]),
    );
  }

  // ---- signatures ----
  heading(t.s7);
  for (const role of ['system_owner', 'it_system_owner'] as const) {
    ensure(80);
    const s = args.signatures.find((x) => x.role === role);
    const holder = d.organisation.find((o) => o.role === role)?.displayName ?? '';
    const y = pdf.y;
    pdf.font('Helvetica-Bold').fontSize(10).fillColor('#1a1a1a').text(t.roles[role], left, y, { width });
    if (s) {
      para(`${s.person.displayName} – ${t.signedOn} ${fmtDateTime(s.signedAt, lang)}`);
      pdf
        .font('Courier')
        .fontSize(8)
        .text(`${t.version} ${d.number} · SHA-256 ${s.contentHash}`, left, pdf.y, { width });
    } else {
      para(`${holder} – ${t.notSigned}`);
      pdf.moveDown(1.4);
      pdf
        .moveTo(left, pdf.y)
        .lineTo(left + 260, pdf.y)
        .lineWidth(0.5)
        .strokeColor('#555555')
        .stroke();
      pdf
        .font('Helvetica')
        .fontSize(8)
        .text(t.signLine, left, pdf.y + 3, { width: 260 });
    }
    pdf.moveDown(1);
  }

  // ---- footers with page numbers ----
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const m = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    const y = pdf.page.height - 40;
    pdf
      .moveTo(left, y - 6)
      .lineTo(left + width, y - 6)
      .lineWidth(0.3)
      .strokeColor('#aaaaaa')
      .stroke();
    pdf.font('Helvetica').fontSize(7.5).fillColor('#555555');
    const hash = args.contentHash ? ` · SHA-256 ${args.contentHash.slice(0, 16)}…` : ` · ${t.notFinal}`;
    pdf.text(`${d.object.name} · ${t.title} ${d.year} · ${t.version} ${d.number}${hash}`, left, y, {
      width: width - 90,
      lineBreak: false,
    });
    pdf.text(t.page(i + 1, range.count), left + width - 90, y, {
      width: 90,
      align: 'right',
      lineBreak: false,
    });
    pdf.page.margins.bottom = m;
  }
  pdf.end();
  return done;
}
