import { stemEndings } from './stems.js';

/**
 * Words a support, shop or coding question uses interchangeably, by language (accent-folded,
 * lowercase): each row's first word stands for the row. normaliseText writes every word as
 * its row's first, so "modify my address" and "change my address" embed alike and are not a
 * word swap. Rows stay within one language: a question and its translation do not meet
 * through this table. Conservative on purpose: only words that name the same act or thing in
 * any sentence of these domains ("update" is "change", "profile" is not "account").
 */
const rowsByLanguage: Readonly<Record<string, readonly string[]>> = {
  en: [
    'colleague colleagues coworker coworkers teammate teammates',
    'luggage baggage',
    'increase increases increased increasing raise raises raised raising',
    'install installs installed installing configure configures configured configuring setup',
    'connect connects connected connecting integrate integrates integrated link links linked',
    'block blocks blocked blocking freeze freezes frozen',
    'check checks checked checking test tests tested verify verifies verified',
    'bring brings brought bringing take takes took taking',
    'plane planes flight flights airplane',
    'change changes changed changing modify modifies modified modifying update updates updated updating edit edits edited editing amend alter switch switches switched switching',
    'delete deletes deleted deleting remove removes removed removing erase erases erased',
    'cancel cancels cancelled canceled cancelling canceling terminate terminates',
    'contact contacts contacted contacting reach talk speak',
    'find finds found finding locate locates',
    'get gets getting receive receives received receiving obtain obtains got arrive arrives arrived arriving',
    'refund refunds refunded reimbursement reimbursed',
    'ship ships shipped shipping deliver delivers delivered delivering delivery deliveries',
    'pay pays paid paying payment payments',
    'internationally international abroad overseas',
    'price prices cost costs pricing',
    'fix fixes fixed fixing solve solves solved resolve resolves resolved',
    'problem problems issue issues trouble',
    'damaged damage broken defective faulty',
    'start starts started starting begin begins beginning',
    'method methods option options',
    'another different other',
    'invoice invoices bill bills',
    'support service helpdesk',
    'quickly fast',
    'allowed permitted',
    'register registers registered registering signup enrol enroll',
    'exchange exchanges exchanged exchanging swap swaps swapped',
    'book books booked booking reserve reserves reserved reservation',
    'undo undoes undid revert reverts reverted rollback',
    'information info',
    'package packages parcel parcels',
    'coupon coupons voucher vouchers promo',
    'create creates created creating generate generates generated generating',
    'request requests requested requesting ask asks asked asking',
    'see sees seeing view views viewed viewing',
    'transfer transfers transferred transferring move moves moved moving',
    'restart restarts restarted restarting reboot reboots rebooted rebooting',
    'phone phones mobile cellphone smartphone',
    'password passwords passcode',
    'website websites site',
    'item items product products article articles',
    'agent agents representative human person',
  ],
  de: [
    'erhohen anheben',
    'sperren blockieren',
    'prufen testen uberprufen kontrollieren',
    'verbinden integrieren koppeln anbinden',
    'kollege kollegen kollegin kolleginnen',
    'installieren einrichten konfigurieren',
    'mitnehmen mitbringen',
    'andern aendern bearbeiten aktualisieren anpassen',
    'loschen entfernen',
    'kundigen stornieren',
    'kontaktieren kontaktiere erreichen erreiche sprechen',
    'finden finde',
    'bekommen bekomme erhalten erhalte',
    'ruckerstattung erstattung ruckzahlung',
    'versand lieferung versenden liefern verschicken geliefert',
    'dauert braucht',
    'preis kosten kostet',
    'beschadigt kaputt defekt',
    'zahlungsmethoden zahlungsarten zahlungsmoglichkeiten zahlungsoptionen',
    'rechnung rechnungen',
    'erstellen erstelle generieren generiere anlegen',
    'neustarten neustart',
    'handy smartphone mobiltelefon',
    'passwort kennwort',
    'artikel produkt produkte',
    'rucksendung retoure ruckgabe',
    'zuruckgeben zurucksenden retournieren',
    'gutschein rabattcode gutscheincode',
  ],
  fr: [
    'augmenter relever',
    'verifier tester controler',
    'connecter integrer relier',
    'installer configurer',
    'emmener emporter apporter',
    'modifier modifie changer change',
    'supprimer supprime effacer',
    'annuler annule resilier',
    'contacter contacte joindre parler',
    'trouver trouve',
    'recevoir recois obtenir arriver arrive arrivera',
    'remboursement rembourser rembourse',
    'livraison livrer livrez livrez-vous expedition expedier envoi',
    'payer paiement paiements payez',
    'prix cout coute',
    'endommage casse abime defectueux',
    'moyens modes methodes options',
    'creer cree generer genere',
    'demander demande solliciter',
    'portable mobile smartphone',
    'retourner renvoyer',
    'appli application',
    'article articles produit produits',
  ],
  es: [
    'aumentar',
    'comprobar probar verificar',
    'conectar integrar enlazar vincular',
    'instalar configurar',
    'llevar traer',
    'cambiar cambio cambia modificar modifico modifica actualizar actualizo actualiza editar',
    'eliminar elimino elimina borrar borro borra remover',
    'cancelar cancelo cancela anular',
    'contactar contacto comunicarme hablar',
    'encontrar encuentro',
    'recibir recibo recibire obtener llegar llega llegara',
    'reembolso',
    'envio envios enviar entrega entregas entregar entregan envian',
    'hacen realizan',
    'tarda tardan',
    'precio coste costo cuesta',
    'danado roto defectuoso',
    'metodos metodo formas forma medios medio',
    'crear creo generar genero',
    'pedir pido solicitar solicito',
    'movil celular smartphone',
    'devolver regresar retornar',
    'cupon cupones',
    'aplicacion app',
    'articulo articulos producto productos',
  ],
  // Portuguese: its own rows, though it shares many words with Spanish, so that a question and
  // its translation do not meet here
  pt: [
    'aumentar',
    'verificar testar',
    'conectar integrar',
    'instalar configurar',
    'levar trazer',
    'alterar altero altera mudar mudo muda atualizar atualizo atualiza',
    'excluir excluo exclui apagar apago apaga deletar',
    'contatar contato contactar falar',
    'achar acho',
    'receber recebo obter chegar chega chegara',
    'entregam entregue enviam',
    'demora demoram leva levam',
    'preco custo custa',
    'danificado quebrado defeituoso avariado',
    'meios meio',
    'criar crio gerar gero',
    'pedir peco solicitar solicito',
    'celular telemovel smartphone',
    'cupom cupao',
    'aplicativo app aplicacao',
    'artigo artigos produto produtos',
  ],
  it: [
    'aumentare alzare',
    'verificare controllare',
    'collegare integrare connettere',
    'installare configurare',
    'cambiare modificare aggiornare',
    'eliminare cancellare rimuovere',
    'annullare disdire',
    'contattare contatto contatta raggiungere raggiungo parlare',
    'trovare',
    'ricevere ricevero ottenere arrivare arriva arrivera',
    'rimborso',
    'spedizione spedizioni spedire spedite spediamo consegna consegnare',
    'prezzo costo costa',
    'danneggiato rotto difettoso',
    'metodi modalita',
    'estero',
    'creare creo generare genero',
    'chiedere chiedo richiedere richiedo',
    'cellulare smartphone',
    'restituire rendere',
    'articolo articoli prodotto prodotti',
  ],
  nl: [
    'verhogen',
    'controleren testen',
    'koppelen integreren verbinden',
    'installeren instellen',
    'wijzigen veranderen aanpassen bijwerken',
    'verwijderen wissen',
    'annuleren opzeggen',
    'contacteren bereiken bereik spreken',
    'krijgen ontvangen',
    'terugbetaling restitutie',
    'verzending verzenden levering leveren bezorging bezorgen',
    'prijs kosten kost',
    'beschadigd kapot defect',
    'betaalmethoden betaalmogelijkheden betaalopties betaalwijzen',
    'aanmaken maak maken genereren genereer',
    'aanvragen vraag vragen',
    'mobiel gsm smartphone',
    'retourneren terugsturen',
    'artikel artikelen product producten',
  ],
};
const rows: readonly string[] = Object.values(rowsByLanguage).flat();

/** Word → the first word of its row. A word in two rows keeps the first. */
export const synonymOf: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const row of rows) {
    const [head, ...rest] = row.split(' ');
    for (const word of [head!, ...rest]) if (!map.has(word)) map.set(word, head!);
  }
  return map;
})();

/**
 * Per language, each row word's stems (the word less an ending of the language, four letters
 * at least) → its row's first word, so an inflection the row does not list still meets it:
 * Dutch "verander" (veranderen), Italian "genero" (generare). Built on first use.
 */
const stemHeads = new Map<string, Map<string, string>>();

function headsFor(language: string): Map<string, string> {
  let heads = stemHeads.get(language);
  if (heads) return heads;
  heads = new Map();
  const endings = stemEndings[language] ?? new Set<string>();
  for (const row of rowsByLanguage[language] ?? []) {
    const [head] = row.split(' ');
    for (const word of row.split(' '))
      for (const ending of endings)
        if (word.endsWith(ending) && word.length - ending.length >= 4 && !heads.has(word.slice(0, word.length - ending.length)))
          heads.set(word.slice(0, word.length - ending.length), head!);
  }
  stemHeads.set(language, heads);
  return heads;
}

/**
 * The row a word belongs to: listed as it is, or, in a language other than English (whose rows
 * list their inflections, and where a stem would join issue/issued), by its stem.
 */
export function synonymFor(word: string, language: string | undefined): string | undefined {
  if (language === undefined || language === 'en' || !rowsByLanguage[language] || !stemEndings[language]) return synonymOf.get(word);
  // The prompt's own language first, then English (loanwords: "update", "download"); never a third language's row.
  const own = headsFor(language);
  for (const ending of stemEndings[language]!) {
    if (!word.endsWith(ending) || word.length - ending.length < 4) continue;
    const head = own.get(word.slice(0, word.length - ending.length));
    if (head !== undefined) return head;
  }
  if (own.has(word)) return own.get(word);
  return englishOf.get(word);
}

/** English rows alone. */
const englishOf: ReadonlyMap<string, string> = new Map((rowsByLanguage.en ?? []).flatMap((row) => row.split(' ').map((word) => [word, row.split(' ')[0]!] as const)));
