/**
 * The cue tables of the cost-aware router: named patterns for code, maths and multi-step
 * reasoning, in English, German, French and Spanish (and a little Italian and Portuguese).
 * Each cue has a weight — 2 for evidence that alone makes a request hard (a stack trace, a
 * proof), 1 for a strong hint, 0.5 for a word that easy questions use too ("why", "Python").
 * The names appear in `x-breakwater-route-reason`, so they are written for people.
 */
export interface Cue {
  name: string;
  weight: number;
  test(text: string): boolean;
}

const pattern = (name: string, weight: number, regex: RegExp): Cue => ({ name, weight, test: (text) => regex.test(text) });

// Unicode-aware word boundaries: \b does not treat "é" or "ü" as word characters.
const word = (alternatives: string, flags = 'iu') => new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, flags);

/** Lines that read as source code rather than prose: statements, declarations, braces. */
const codeLine =
  /^\s*(?:(?:def|class|import|from\s+\S+\s+import|return|const|let|var|function|public|private|protected|fn|func|package|#include|using|struct|impl|interface|type|async|await|try|catch|except|elif|for\s*\(|while\s*\(|if\s*\(|SELECT|WITH|@\w+)\b.*|.*[;{}]\s*$|.*\)\s*(?:=>|->)\s*.*|\s*\w+\s*(?:\+=|-=|:=|==|===|!=)\s*.+)$/;

function countCodeLines(text: string): number {
  let count = 0;
  for (const line of text.split('\n')) if (line.length < 200 && codeLine.test(line)) count++;
  return count;
}

const technologies =
  'python|javascript|typescript|node\\.?js|java|kotlin|rust|golang|c\\+\\+|c#|ruby|php|swift|scala|haskell|bash|powershell|postgres(?:ql)?|mysql|sqlite|mongodb|redis|kafka|rabbitmq|elasticsearch|opensearch|meilisearch|react|vue|angular|django|flask|express|fastify|spring boot|kubernetes|k8s|terraform|docker|git|api|rest|graphql|json|yaml';

export const codeCues: readonly Cue[] = [
  pattern('code fence', 2, /```/),
  pattern(
    'stack trace',
    2,
    // [ \t]+, not \s+, after ^: \s also takes newlines, so blank lines were rescanned from each one (64 K of them: 5 s).
    /Traceback \(most recent call last\)|Exception in thread "|panicked at |goroutine \d+ \[|^[ \t]+at [\w$.<>]+ ?\(?[^\n]*:\d+(?::\d+)?\)?[ \t]*$|^[ \t]+at [\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)|File "[^"\n]{1,400}", line \d+/m,
  ),
  pattern(
    'error message',
    2,
    word(
      'TypeError|ReferenceError|SyntaxError|NullPointerException|IndexError|KeyError|ValueError|AttributeError|ImportError|ModuleNotFoundError|segmentation fault|segfault|ECONNREFUSED|ENOENT|EADDRINUSE|cannot read propert(?:y|ies) of (?:undefined|null)|is not a function|undefined reference|borrow checker|race condition|deadlock|memory leak|OOMKilled|CrashLoopBackOff|stack overflow|off-by-one|N\\+1',
    ),
  ),
  { name: 'source code', weight: 2, test: (text) => countCodeLines(text) >= 3 },
  pattern(
    'SQL',
    2,
    /\b(?:SELECT\b[\s\S]{1,300}?\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX|VIEW)|ALTER\s+TABLE)\b|\bselect\s+[\w.*, ]+\s+from\s+\w+\s+(?:where|join|group by)\b/,
  ),
  pattern('refactor', 2, word('refactor\\w*|refaktor\\w*|refactoris\\w*|réusin\\w*|refactoriz\\w*')),
  pattern('debugging', 2, word('debug\\w*|débogu\\w*|depur\\w*|fehlersuche|bugs?|bugfix')),
  pattern('regex', 1, word('regex\\w*|regexp|regular expressions?|reguläre[rn]? ausdr(?:uck|ücke)|expressions? régulières?|expresi(?:ón|ones) regulares?')),
  pattern(
    'programming task',
    2,
    word(
      '(?:write|create|build|schreib\\w*|erstell\\w*|écri[st]\\w*|crée[rz]?|escrib\\w*|crea[r]?)\\s+(?:\\S+\\s+){0,4}?[\\p{L}-]*?(?:functions?|funktion(?:en)?|fonctions?|funci(?:ón|ones)|scripts?|skripte?|class(?:es)?|klassen?|classes?|clases?|programs?|programme?s?|programas?|unit tests?|tests? unitaires?|pruebas unitarias|endpoints?|algorithm\\w*|algorithme\\w*|algoritmos?|dockerfiles?|migrations?|parsers?|middleware|hooks?|decorators?|cli)',
    ),
  ),
  pattern('implementation', 2, word('implement\\w*|implementier\\w*|implément\\w*|implementa\\w*')),
  pattern(
    'software design',
    1.5,
    word(
      'database schema|data model|datenmodell|modèle de données|modelo de datos|concurren\\w*|nebenläufig\\w*|multi-tenant|mandantenfähig\\w*|scalab\\w*|skalier\\w*|microservices?|distributed|verteilte?n?|consisten\\w*|konsisten\\w*|idempoten\\w*|transactions?|locking|cache invalidation|migrat\\w*|migrar|migración|double bookings?|full-text search|volltextsuche|edge cases?|randfälle|cas limites?|casos? límites?',
    ),
  ),
  pattern(
    'algorithmic complexity',
    2,
    word(
      'time complexity|space complexity|big-?o|o\\((?:1|log n|n(?: log n|\\^?2|²)?)\\)|laufzeitkomplexität|complexité (?:temporelle|algorithmique)|complejidad (?:temporal|algorítmica)',
    ),
  ),
  pattern('programming language', 0.5, word(technologies)),
  {
    name: 'several technologies',
    weight: 1,
    test: (text) => new Set((text.match(new RegExp(word(technologies).source, 'giu')) ?? []).map((name) => name.toLowerCase())).size >= 3,
  },
];

export const mathCues: readonly Cue[] = [
  pattern(
    'equation',
    2,
    /\b\d*[a-z]\s*[+\-−*/]\s*\d*[a-z]\b[^=\n]{0,30}=|[a-z]\s*\^\s*\d|[a-z]²|[∫∑∏√∂∇≤≥≠∞]|\\(?:frac|int|sum|sqrt)\b|\b(?:sin|cos|tan|log|ln|exp)\s*\(|\b\d*[a-z]\s*[+−-]\s*\d+\s*=\s*\d|\bf\(x\)/,
  ),
  pattern('derivation', 1.5, word('derive it|derivation|herleitung|herleiten|dédui[rst]\\w*|déduction|deduc\\w*|deriva(?:ción|lo)')),
  pattern(
    'optimisation',
    2,
    word('maximi[sz]\\w*|minimi[sz]\\w*|maximier\\w*|minimier\\w*|maximal\\w* fläche|maximiser|minimiser|maximizar|minimizar|optimum|optimal (?:dimensions|value)'),
  ),
  pattern('rates', 1, word('km/h|m/s²?|mph|velocity|acceleration|beschleunigung|vitesse|velocidad|aceleración|proportional|proportionnel\\w*|proporcional')),
  pattern(
    'proof',
    2,
    word(
      'prove|proof|show that|beweis\\w*|zeige,? dass|démontre[rz]?|démonstration|prouve[rz]?|demuestra\\w*|demostra\\w*|demostración|prueba que|dimostra\\w*|bewijs\\w*|toon aan dat|prova que|provar que|demonstr[ae] que|udowodni\\w*|dowód|dowodu',
    ),
  ),
  pattern(
    'calculus',
    2,
    word('derivatives?|differentiate|integrals?|ableitung\\w*|integral\\w*|grenzwert\\w*|dérivée\\w*|intégrale\\w*|derivadas?|integrales?|límites? de|limit of|taylor'),
  ),
  pattern(
    'probability',
    2,
    word(
      'probabilit(?:y|ies)|wahrscheinlichkeit\\w*|wie wahrscheinlich|probabilités?|probabilidad(?:es)?|expected value|erwartungswert|espérance|valor esperado|bayes\\w*|variance|varianz|standard deviation|standardabweichung|écart[- ]type|desviación estándar|binomial\\w*|poisson|p-value|p-wert|confidence interval|konfidenzintervall|intervalle de confiance|intervalo de confianza|hypothesis test|hypothesentest|statistically significant|signifikan\\w*',
    ),
  ),
  pattern('linear algebra', 2, word('matri(?:x|ces)|eigen\\w*|determinant\\w*|déterminant|vector space|vektorraum|matrice\\w*|matriz|matrices')),
  pattern(
    'number theory',
    2,
    word(
      'theorem|lemma|satz von|théorème|teorema|induction|induktion|par récurrence|inducción|prime numbers?|primzahl\\w*|nombres? premiers?|números? primos?|modulo|modular arithmetic|gcd|ggt|pgcd|mcd',
    ),
  ),
  // `(?<!\d)`: a match starts only where a run of digits starts. Without it every position
  // inside a long run was tried, each scanning to the run's end: 32 KB of one digit took 2.4 s.
  pattern('multi-digit arithmetic', 1, /(?<!\d)\d{3,}(?:[.,]\d+)?\s*[×x*/÷^]\s*\d{2,}|(?<!\d)\d{2,}(?:[.,]\d+)?\s+[+−-]\s+\d{2,}(?:[.,]\d+)?\s*[×*/÷+−-]/),
  pattern(
    'finance maths',
    1,
    word(
      'interest rate|loan|mortgage|monthly payments?|zinss?atz|zinsen|kredit|hypothek|darlehen|prêt|taux d.intérêt|mensualités?|préstamo|hipoteca|intereses|cuota mensual|compound interest|zinseszins\\w*|intérêts? composés?|interés compuesto|annuit\\w*|amorti[sz]\\w*|net present value|npv|irr|kapitalwert|valeur actuelle nette|valor actual neto',
    ),
  ),
  pattern(
    'solve',
    1,
    word('solve|work out|figure out|ausrechnen|herausfinden|löse|lösen sie|résou\\w*|resuelve|resolver|averigua\\w*|calculate|berechne\\w*|calcule[rz]?|calcula[r]?'),
  ),
  pattern('word problem', 0.5, word('how many|how much|wie viele|wie viel|combien|cuántos|cuántas|cuánto')),
];

export const reasoningCues: readonly Cue[] = [
  pattern('step by step', 1, word('step[- ]by[- ]step|schritt für schritt|étape par étape|paso a paso|passo (?:dopo|a) passo|think carefully|denk(?:e)? sorgfältig')),
  pattern(
    'trade-offs',
    1.5,
    word(
      'trade-?offs?|pros and cons|for and against|dafür und dagegen|pro und contra|pour et contre|a favor y en contra|vor- und nachteile|vor-? und nachteile|abwäg\\w*|abzuwägen|avantages et (?:les )?inconvénients|compromis|ventajas y desventajas|pros y contras|vantaggi e svantaggi|prós e contras',
    ),
  ),
  pattern('comparison', 1, word('compare|comparison|comparing|vergleich\\w*|compar(?:e[rz]?|aison|ez|a|ar|ación|ando)|versus|vs\\.?')),
  pattern(
    'planning',
    1,
    word(
      '(?:draw up|make|create|write|build|propose|outline|plan (?:my|a|an|our)|plane (?:mir|eine?n?)|planifie[rz]?|planifica|organi[sz]e|organise[rz]?|organiza|erstell\\w*|entw(?:irf|erfen)|schreib\\w*|élabor\\w*|propos\\w*|crée[rz]?|crea[r]?|haz|elabora\\w*|propon\\w*)\\s+(?:\\S+\\s+){0,3}?(?:plan|roadmap|strategy|strategie|stratégie|estrategia|migration plan|rollout)|strategy|strategie|stratégie|estrategia|design (?:a|an|the)|architecture|architektur|arquitectura|concevoir|conçois|diseña\\w*|entwirf',
    ),
  ),
  pattern(
    'analysis',
    1,
    word(
      'analy[sz]e|analysis|analysier\\w*|analyse[rz]?|analiza\\w*|análisis|evaluate|bewerte\\w*|évalue[rz]?|evalúa\\w*|assess\\w*|critique|kritisch\\w*|critically|justify|begründe\\w*|justifie[rz]?|justifica\\w*|root cause|grundursache|cause racine|causa raíz|causes of|ursachen|les causes|causas de|diagnos\\w*|risks?|risiken|risiko|risques?|riesgos?|implications?|auswirkungen|consequences?|konsequenzen|conséquences|consecuencias|recommend\\w*|empfiehl\\w*|empfehl\\w*|recommande[rz]?|recomienda\\w*|recomendar',
    ),
  ),
  pattern('hypothetical', 1, word('what would happen if|what if|was wäre,? wenn|was passiert,? wenn|que se passerait-il si|et si|qué pasaría si|y si')),
  pattern(
    'structured walk-through',
    1,
    word(
      'lay out|walk me through|go through each|show (?:the|your) (?:reasoning|work)|think (?:this |it )?through|help me decide|darlegen|erläutere\\w*|gehe? .{0,20}durch|détaille[rz]?|expose[rz]|detalla\\w*|desglosa\\w*|paso por paso',
    ),
  ),
  { name: 'multi-step instructions', weight: 1, test: (text) => (text.match(sequenceMarkers) ?? []).length >= 2 },
  pattern(
    'conditional instruction',
    1,
    word(
      'only if|unless|nur wenn|nur falls|sauf si|seulement si|solo si|a menos que|before (?:booking|touching|changing|doing)|avant de (?:toucher|réserver|modifier)|antes de (?:reservar|tocar)|aber noch nichts',
    ),
  ),
  pattern('either-or question', 1, /\s(?:or|oder|ou|o)\s+[\p{L}'’-]+\s*[?？]/iu),
  pattern(
    'decision between options',
    1,
    /\b(?:should (?:i|we)|shall (?:i|we)|sollten? (?:ich|wir)|soll (?:ich|wir)|dois-je|devrions-nous|faut-il|¿?debería(?:mos)?)\b[^.?!]{3,120}\b(?:or|oder|ou|o)\b/iu,
  ),
  pattern(
    'constraints on style',
    1,
    word(
      'keeping the|preserving the|maintaining the|en gardant|gardant|conservant|manteniendo|beibehalten|unter beibehaltung|adapt\\w*|anpass\\w*|localis\\w*|localiz\\w*|lokalisier\\w*|rhythm|rythme|ritmo|rhythmus',
    ),
  ),
  pattern('audience and tone', 1, word('audience|zielgruppe|público|publico|public cible|tone|tono|tonalité|register')),
  pattern(
    'legal domain',
    1,
    word(
      'liab\\w*|legal\\w*|contract\\w*|clauses?|indemn\\w*|jurisdiction|statutory|licen[cs]e agreement|governing law|rights|tenant|landlord|compensation|injur\\w*|haftung|vertrag\\w*|klausel\\w*|rechte|mieter|vermieter|entschädigung|schadensersatz|juridique|contrat|responsabilité|droits|locataire|indemnisation|jurídic\\w*|contrato|cláusula|responsabilidad|derechos|inquilino|garantía legal|compensación',
    ),
  ),
  pattern(
    'escalated complaint',
    1,
    word(
      'furious|angry|unacceptable|third time|sauer|wütend|inakzeptabel|zum dritten mal|furieux|furieuse|inacceptable|troisième fois|enfadad[oa]|furios[oa]|inaceptable|tercera vez',
    ),
  ),
  pattern('causal question', 0.5, word('why|warum|wieso|weshalb|pourquoi|por ?qué|perché|how come')),
  pattern('explanation', 0.5, word('explain|erkläre?n?|expliqu\\w*|explica\\w*|spiega\\w*')),
  { name: 'multi-part question', weight: 1, test: (text) => questionCount(text) >= 3 || enumeratedAsks(text) >= 3 || (text.match(interrogatives) ?? []).length >= 3 },
];

/**
 * Risk domains: a wrong or shallow answer about health, law, money, physical safety or
 * computer security costs the user more than a slow one, so the large tier answers. Each cue
 * asks for the substance of the domain (a symptom, a dose, a clause, a tax, a breach), not a
 * word any easy question uses ("pharmacy opening hours" is not a health question).
 */
export const riskCues: readonly Cue[] = [
  pattern(
    'health',
    2,
    word(
      'symptoms?|diagnos\\w*|dosage|dose|doses|overdos\\w*|side[- ]effects?|medication\\w*|medicine|prescri\\w*|antibiotic\\w*|ibuprofen|paracetamol|acetaminophen|insulin|blood pressure|chest pain|pregnan\\w*|breastfeed\\w*|allerg\\w*|rash|fever|infection|vaccin\\w*|chemotherapy|tumou?r|cancer|diabet\\w*|depress\\w*|anxiety|seizure|stroke|heart attack|pain in|hurts?|bleeding|symptom\\w*|nebenwirkung\\w*|medikament\\w*|dosierung|schmerz\\w*|fieber|schwanger\\w*|arzneimittel|blutdruck|symptôm\\w*|médicament\\w*|posologie|douleur\\w*|fièvre|enceinte|grossesse|effets? secondaires?|ordonnance|síntomas?|medicamento\\w*|dosis|dolor\\w*|fiebre|embarazad\\w*|efectos? secundarios?|sintom\\w*|farmac\\w*|dolore|febbre|incinta|effetti collaterali|bijwerking\\w*|medicijn\\w*|koorts|zwanger\\w*|pijn|remédio|febre|grávida|efeitos? colaterais|dor no|dor de|chest tightness|short(?:ness)? of breath|blood sugar|glucose|glicemia|glucemia|glykämie|blutzucker|pill|pille|pilule|pillola|píldora|pílula|anticoncep\\w*|contracepti\\w*|verhütung\\w*|swallowed|verschluckt|avalé|tragado|ingoiato|ingerido|lek\\w*|lekarz\\w*|ból\\w*|ciąż\\w*|gorączk\\w*|\\p{L}+(?:azol|azole|mycin|micin|cillin|pril|sartan|olol|statin|prazol|prazole|oxetin|oxetine|azepam|tidin|tidine|dronat|dronate|kraut)',
    ),
  ),
  pattern(
    'legal',
    2,
    word(
      'lawsuit|sue|suing|sued|court|lawyer|landlord|tenants?|mieter\\w*|vermieter\\w*|kaution|locataire|inquilino|arrendador|fianza|affittuari\\w*|huurder|verhuurder|huisbaas|senhorio|bailleur|propriétaire|caution|dépôt de garantie|casero|padrone di casa|attorney|legally|liab(?:le|ility)|contract\\w*|clauses?|terms of service|gdpr|dsgvo|rgpd|copyright|trademark|patent|eviction|evict\\w*|dismiss(?:al|ed)|fired|wrongful|notice period|tenancy|lease agreement|custody|divorce|inheritance|will and testament|probate|visa|immigration|non-compete|nda|defamation|klage\\w*|gericht\\w*|anwalt|rechtlich\\w*|kündigung\\w*|kündigungsfrist|arbeitsvertrag|mietvertrag|urheberrecht|erbe|erbschaft|scheidung|tribunal|avocat|juridiquement|licenciement|bail|préavis|droit d.auteur|héritage|divorce|demanda\\w*|abogad\\w*|despido|arrendamiento|herencia|divorcio|avvocat\\w*|licenziament\\w*|contratto|causa legale|advocaat|ontslag|huurcontract|rechter|advogad\\w*|processo judicial|demissão|contrato de',
    ),
  ),
  pattern(
    'finance',
    2,
    word(
      'invest\\w*|portfolio|stocks?|shares|etfs?|index funds?|bonds|crypto\\w*|bitcoin|retirement|pension\\w*|401\\(?k\\)?|ira|roth|tax(?:es|ed|able|ation)?|deduct\\w*|capital gains|mortgage|refinanc\\w*|debt|bankrupt\\w*|insolven\\w*|credit score|savings|inflation|dividend\\w*|vat|steuer\\w*|rente|altersvorsorge|aktien|anlage\\w*|geldanlage|schulden|impôts?|fiscal\\w*|retraite|placement|épargne|actions|dette|impuestos?|jubilación|inversi\\w*|ahorro\\w*|deuda|tasse|pensione|investiment\\w*|risparmi\\w*|belasting\\w*|pensioen|beleggen|hypotheek|impostos?|aposentadoria|investimento\\w*|dívida|podat\\w*|ulg[aęi]\\w*|emerytur\\w*|kredyt\\w*|hipote\\w*|iva|tva|mwst|ust|autónomo|freelanc\\w*|self-employed|selbstständig\\w*|zzp|auto-entrepreneur|déclar\\w*|declarar|dichiarazione dei redditi|aangifte',
    ),
  ),
  pattern(
    'safety',
    2,
    word(
      'suicid\\w*|self-harm|kill myself|overdose|poison\\w*|toxic|carbon monoxide|gas leak|smell gas|electric shock|live wire|mixing bleach|bleach and|ammonia|chemical burn|fire hazard|choking|unconscious|not breathing|emergency|is it safe|safe to|dangerous|gefährlich|giftig|vergiftung|notfall|gasgeruch|stromschlag|dangereux|toxique|intoxication|urgence|fuite de gaz|peligros\\w*|tóxic\\w*|intoxicación|emergencia|fuga de gas|pericolos\\w*|tossic\\w*|emergenza|gevaarlijk|giftig|noodgeval|perigos\\w*|emergência|intoxicação',
    ),
  ),
  pattern(
    'security',
    2,
    word(
      'vulnerabilit\\w*|exploit\\w*|cve-\\d+|breach\\w*|hacked|compromised|phishing|ransomware|malware|intrusion|incident response|penetration test\\w*|pentest\\w*|xss|csrf|sql injection|privilege escalation|leaked (?:keys?|credentials|passwords?|secrets?)|access keys?|rotat\\w+ (?:the |our |all )?(?:keys?|credentials|secrets|passwords?|tokens?)|credentials? (?:leak\\w*|exposed)|encryption|encrypt\\w*|threat model\\w*|zero[- ]day|2fa|mfa|firewall rules?|sicherheitslücke\\w*|gehackt|angriff\\w*|verschlüssel\\w*|faille\\w*|piraté|chiffrement|vulnerabilidad\\w*|hackead\\w*|cifrado|ataque\\w*|violazione|crittograf\\w*|lek in|gehackt|versleutel\\w*|invadid\\w*|criptografia',
    ),
  ),
];

/**
 * Asks that small models answer well: translate, reword, shorten, define, look up, name or
 * classify one thing. They never make a request hard (weight 0 in the difficulty score); the
 * learned scorer weighs them against the hard cues, which is how "translate this contract
 * clause title" stays small while "review this clause" does not.
 */
export const simpleTaskCues: readonly Cue[] = [
  pattern(
    'translation',
    0,
    word(
      'translate|translation|how do (?:you|i) say|in (?:english|german|french|spanish|italian|dutch|portuguese)|übersetze?\\w*|auf (?:englisch|deutsch|französisch|spanisch)|tradu\\w*|en (?:anglais|inglés|français|alemán)|come si dice|em inglês|wie (?:sagt|schreibt) man|comment dit-on|cómo se dice|como se (?:diz|escreve)|vertaal\\w*|in het (?:engels|duits)',
    ),
  ),
  pattern(
    'rewording',
    0,
    word(
      'rephrase|reword|rewrite|paraphrase|shorten|make (?:it|this)(?: sound)? (?:more )?(?:formal|friendl\\w*|polite|shorter)|fix (?:the )?(?:spelling|grammar|typos?)|proofread|correct|umformulier\\w*|formuliere|kürze\\w*|korrigier\\w*|reformule\\w*|corrige\\w*|raccourcis|reformula\\w*|acorta|corregg\\w*|riformula|herschrijf|herformuleer|corrigeer|reescrev\\w*|corrig\\w*',
    ),
  ),
  pattern(
    'summary',
    0,
    word(
      'summari[sz]e|summary|tl;?dr|in one sentence|in a sentence|fasse? \\w* zusammen|zusammenfassung|résume[rz]?|résumé|en une phrase|resume|resumen|en una frase|riassum\\w*|samenvat\\w*|resum\\w*',
    ),
  ),
  pattern(
    'definition or lookup',
    0,
    word(
      'what does \\S+ stand for|what does .{1,30} mean|what is the (?:plural|capital|opening hours|number|address)|meaning of|synonyms?|antonyms?|was (?:heißt|bedeutet)|que (?:veut dire|signifie)|qué significa|cosa significa|wat (?:betekent|is het)|o que significa|qual é o número|opening hours',
    ),
  ),
  pattern(
    'short creative ask',
    0,
    word(
      '(?:give me|suggest|write) (?:a |an |one |three |five )?(?:name|title|subject line|slogan|haiku|tagline|caption|greeting|reminder|one-liner)s?|titre|título|titolo|betreff\\w*|gruß\\w*|saludo|saluto|groet',
    ),
  ),
  pattern(
    'classification',
    0,
    word(
      'classify|categori[sz]e|label (?:this|the)|which category|sentiment|detect the language|klassifizier\\w*|kategorisier\\w*|classe[rz]?|catégoris\\w*|clasifica\\w*|categoriza\\w*|classifica\\w*',
    ),
  ),
];

/**
 * Requirements a request stacks on one answer ("must", "without", "at most", "in under 200
 * words", "and also"): three or more in one message ask the model to satisfy them all at
 * once, which small models drop one of, with or without code fences.
 */
const constraintMarkers =
  /(?<![\p{L}])(?:must(?:n't| not)?|should(?:n't| not)?|needs? to|has to|have to|make sure|ensure|without|at (?:most|least)|no more than|not more than|exactly|only|never|always|avoid|do not|don't|within|under \d+|less than|keep (?:it|the)|include|handle[sd]?|support(?:s|ing)?|preserv\w*|muss|müssen|soll(?:en)?|darf nicht|ohne|höchstens|mindestens|genau|nur|nie|immer|vermeide\w*|achte darauf|doit|doivent|il faut|sans|au plus|au moins|exactement|seulement|uniquement|jamais|toujours|évite[rz]?|ne pas|debe(?:n|rá)?|tiene que|sin|como máximo|como mínimo|exactamente|solo|nunca|siempre|evita[r]?|deve(?:m)?|senza|al massimo|almeno|esattamente|solo|mai|sempre|moet(?:en)?|zonder|hoogstens|minstens|precies|alleen|nooit|altijd|vermijd|precisa|sem|no máximo|pelo menos|apenas)(?![\p{L}])/giu;

/** How many requirements the text stacks (see constraintMarkers), counting each marker once per sentence part. */
export function constraintCount(text: string): number {
  return (text.match(constraintMarkers) ?? []).length;
}

const sequenceMarkers =
  /(?<![\p{L}])(?:then|after that|afterwards|before|finally|dann|danach|anschließend|zuerst|bevor|puis|ensuite|avant de|enfin|luego|después|antes de|primero|finalmente)(?![\p{L}])/giu;

/** Question words of several languages: three in one message ask several things at once. */
const interrogatives =
  /(?<![\p{L}])(?:what|which|how|why|when|where|who|wie|welche[rsmn]?|wann|wo|warum|wer|quoi|quel(?:le)?s?|comment|pourquoi|quand|où|combien|qué|cuál(?:es)?|cómo|cuándo|dónde|cuánto|quién)(?![\p{L}])/giu;

/** Question marks outside code fences (a spec in prose, not a ternary operator). */
function questionCount(text: string): number {
  return (text.replace(/```[\s\S]*?```/g, '').match(/[?？]/g) ?? []).length;
}

/** Numbered or bulleted lines that each ask for something. */
function enumeratedAsks(text: string): number {
  // [ \t]*, not \s*: from each of many blank lines \s* rescanned all the rest (64 K newlines: 2.5 s).
  return (text.match(/^[ \t]*(?:\d+[.)]|[a-e][.)]|[-*•])[ \t]+\S.{8,}$/gm) ?? []).length;
}

/**
 * The part of a message that says what to do, without the material it is about. A message is
 * cut into blocks at blank lines, `:` line ends and code fences; with more than one block the
 * ask sits at one end — before the material ("Summarise this email:\n\n<email>") or after it
 * (a pasted leaflet, then "How many a day at most?") —, so the ask is the shorter of the first
 * and last blocks, and both when both are short ("Fix this:\n```…```\nWhy does it fail?").
 * A message without such a break is all ask. `material` is everything else.
 */
export function splitAsk(text: string): { ask: string; material: string } {
  const parts = text.split(/(\n\s*\n|:[ \t]*\n|```)/);
  const blocks: string[] = [];
  for (let index = 0; index < parts.length; index += 2) {
    const part = parts[index]!;
    // A list right after "…these requirements:" (no blank line between) is part of the ask.
    if (blocks.length > 0 && /^:[ \t]*\n$/.test(parts[index - 1] ?? '') && isRequirementList(part)) blocks[blocks.length - 1] += `:\n${part}`;
    else if (part.trim() !== '') blocks.push(part);
  }
  if (blocks.length < 2) return { ask: blocks[0] ?? text, material: '' };
  const first = blocks[0]!;
  const last = blocks[blocks.length - 1]!;
  const [firstWords, lastWords] = [wordCount(first), wordCount(last)];
  const middle = blocks.slice(1, -1).join('\n');
  if (firstWords <= shortAsk && lastWords <= shortAsk && blocks.length > 2) return { ask: `${first}\n${last}`, material: middle };
  return firstWords <= lastWords ? { ask: first, material: `${middle}\n${last}` } : { ask: last, material: `${first}\n${middle}` };
}

/** Every non-empty line a list item (`- under 200 words`, `2) no jargon`); line by line, so a line of spaces costs linear time. */
function isRequirementList(text: string): boolean {
  // After a blank line it is material ("Tidy up these notes:\n\n- …"), not the ask's list.
  if (/^[ \t]*\n/.test(text)) return false;
  let items = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!listItem.test(line)) return false;
    items++;
  }
  return items > 0;
}

const listItem = /^[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+\S/;

/** Words at or under which both ends of a message count as the ask. */
const shortAsk = 40;

/** The ask of a message (see splitAsk). */
export function instructionOf(text: string): string {
  return splitAsk(text).ask;
}

/**
 * The writer speaks of their own situation ("my landlord", "I take", "mein Vater", "mon fils",
 * "mi madre", "ik heb"): with a risk domain, a judgement about a person rather than a lookup.
 */
export const personalSituation: RegExp = word(
  "i|i'm|i've|i am|my|me|we|our|ich|mein\\w*|mir|mich|wir|unser\\w*|je|j'ai|j’ai|mon|mes|moi|nous|notre|nos|yo|mi|mis|tengo|me|nosotros|nuestr\\w*|io|mio|mia|miei|mie|ho|ik|mijn|ons|onze|eu|meu|minha|meus|minhas|tenho|mój|moja|moje|mam|jag|mitt|mina|vår\\w*|puedo|posso|soy|estoy|sono|sou|estou|suis|mogę|jestem|byłem|byłam",
);

/** Whitespace-separated words. */
export function wordCount(text: string): number {
  return (text.match(/\S+/g) ?? []).length;
}

/** Numbers (amounts, dates, times, percentages) the instruction asks to combine. */
export function numberCount(text: string): number {
  return (text.match(/\d+(?:[.,:'’]\d+)*/g) ?? []).length;
}

/** The names of the cues of a table that the text shows. */
export function cuesIn(table: readonly Cue[], text: string): string[] {
  const found: string[] = [];
  for (const cue of table) if (cue.test(text)) found.push(cue.name);
  return found;
}

/** Cue name → weight, over every table (the score looks weights up by name). */
export const cueWeights: ReadonlyMap<string, number> = new Map([...codeCues, ...mathCues, ...reasoningCues, ...riskCues].map((cue) => [cue.name, cue.weight]));
