/**
 * The development corpus of bench:retrieval, generated (no downloads): documents of made-up
 * companies in four locales, each with sections whose one fact a question asks about in other
 * words. Tuning happens here; eval/blind/retrieval is the held-out set.
 */

export interface CorpusDocument {
  name: string;
  locale: string;
  text: string;
}

export interface CorpusQuestion {
  locale: string;
  question: string;
  document: string;
  /** Exact substring of the document holding the fact. */
  answer: string;
}

interface Section {
  heading: string;
  fact: (company: string, n: number) => string;
  question: (company: string) => string;
}

const sections: Record<string, Section[]> = {
  en: [
    { heading: 'Annual leave', fact: (c, n) => `Employees at ${c} receive ${n} days of paid leave per year.`, question: (c) => `How many vacation days do ${c} staff get?` },
    {
      heading: 'Notice period',
      fact: (c, n) => `The notice period at ${c} is ${n} weeks for permanent contracts.`,
      question: (c) => `How much notice must I give when I quit ${c}?`,
    },
    {
      heading: 'Travel expenses',
      fact: (c, n) => `${c} reimburses hotel costs up to ${n} euros per night.`,
      question: (c) => `What is the nightly hotel limit for trips at ${c}?`,
    },
    { heading: 'Remote work', fact: (c, n) => `Staff of ${c} may work from home ${(n % 5) + 1} days a week.`, question: (c) => `How often can ${c} employees work remotely?` },
    { heading: 'Warranty', fact: (c, n) => `Every ${c} appliance carries a ${n}-month guarantee.`, question: (c) => `How long is the warranty on ${c} products?` },
    {
      heading: 'Returns',
      fact: (c, n) => `Customers can send ${c} orders back within ${n} days of delivery.`,
      question: (c) => `What is the deadline for returning a ${c} order?`,
    },
  ],
  de: [
    { heading: 'Urlaub', fact: (c, n) => `Beschäftigte der ${c} erhalten ${n} Urlaubstage im Jahr.`, question: (c) => `Wie viele freie Tage pro Jahr gibt es bei ${c}?` },
    { heading: 'Kündigungsfrist', fact: (c, n) => `Die Kündigungsfrist bei ${c} beträgt ${n} Wochen.`, question: (c) => `Wie lange ist die Frist, wenn ich bei ${c} kündige?` },
    { heading: 'Reisekosten', fact: (c, n) => `${c} erstattet Hotelkosten bis ${n} Euro pro Nacht.`, question: (c) => `Wie teuer darf ein Hotel auf Dienstreisen der ${c} sein?` },
    { heading: 'Garantie', fact: (c, n) => `Alle Geräte von ${c} haben ${n} Monate Garantie.`, question: (c) => `Wie lange gilt die Garantie bei ${c}?` },
  ],
  es: [
    { heading: 'Vacaciones', fact: (c, n) => `Los empleados de ${c} disfrutan de ${n} días de vacaciones al año.`, question: (c) => `¿Cuántos días libres al año tienen en ${c}?` },
    { heading: 'Devoluciones', fact: (c, n) => `Los pedidos de ${c} se pueden devolver en ${n} días.`, question: (c) => `¿Qué plazo hay para devolver una compra de ${c}?` },
    { heading: 'Garantía', fact: (c, n) => `Los aparatos de ${c} tienen ${n} meses de garantía.`, question: (c) => `¿Cuánto dura la garantía de ${c}?` },
  ],
  fr: [
    { heading: 'Congés', fact: (c, n) => `Les salariés de ${c} ont droit à ${n} jours de congés par an.`, question: (c) => `Combien de jours de vacances chez ${c} ?` },
    {
      heading: 'Télétravail',
      fact: (c, n) => `Chez ${c}, le télétravail est possible ${(n % 5) + 1} jours par semaine.`,
      question: (c) => `Combien de jours peut-on travailler à distance chez ${c} ?`,
    },
    { heading: 'Garantie', fact: (c, n) => `Les appareils ${c} sont garantis ${n} mois.`, question: (c) => `Quelle est la durée de garantie des produits ${c} ?` },
  ],
};

const filler: Record<string, string[]> = {
  en: [
    'This section applies to all sites and is reviewed every year by the works council.',
    'Questions about this policy go to the people team through the internal helpdesk.',
    'Exceptions need written approval and are recorded in the personnel file.',
  ],
  de: ['Diese Regel gilt für alle Standorte und wird jährlich überprüft.', 'Fragen beantwortet die Personalabteilung über das interne Portal.'],
  es: ['Esta norma se aplica a todas las sedes y se revisa cada año.', 'Las dudas se resuelven a través del portal interno de personal.'],
  fr: ["Cette règle s'applique à tous les sites et est revue chaque année.", 'Les questions sont traitées par le service du personnel.'],
};

/** Deterministic: the same seed gives the same corpus. */
export function generateCorpus(documents = 2_000, seed = 7): { documents: CorpusDocument[]; questions: CorpusQuestion[] } {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const syllables = ['ka', 'lor', 'ven', 'tri', 'sol', 'mar', 'bel', 'dux', 'nor', 'pex', 'ira', 'tum', 'zel', 'gar', 'fin', 'ost'];
  const locales = ['en', 'en', 'de', 'es', 'fr'];
  const corpus: CorpusDocument[] = [];
  const questions: CorpusQuestion[] = [];
  for (let i = 0; i < documents; i++) {
    const locale = locales[i % locales.length]!;
    const name = `${syllables[Math.floor(random() * 16)]}${syllables[Math.floor(random() * 16)]}${syllables[Math.floor(random() * 16)]}`;
    const company = `${name[0]!.toUpperCase()}${name.slice(1)} ${i}`;
    const parts: string[] = [`# ${company}`];
    const facts: Array<{ section: Section; fact: string }> = [];
    for (const section of sections[locale]!) {
      const fact = section.fact(company, 10 + Math.floor(random() * 40));
      const pad = filler[locale]!;
      parts.push(`## ${section.heading}`, `${pad[Math.floor(random() * pad.length)]} ${fact} ${pad[Math.floor(random() * pad.length)]}`);
      facts.push({ section, fact });
    }
    const document = { name: `${locale}-${i}.md`, locale, text: parts.join('\n\n') };
    corpus.push(document);
    if (i % 6 === 0) {
      const { section, fact } = facts[Math.floor(random() * facts.length)]!;
      questions.push({ locale, question: section.question(company), document: document.name, answer: fact });
    }
  }
  return { documents: corpus, questions };
}
