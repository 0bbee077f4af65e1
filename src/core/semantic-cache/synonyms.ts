/**
 * Words a support, shop or coding question uses interchangeably, by language (accent-folded,
 * lowercase): each row's first word stands for the row. normaliseText writes every word as
 * its row's first, so "modify my address" and "change my address" embed alike and are not a
 * word swap. Rows stay within one language: a question and its translation do not meet
 * through this table. Conservative on purpose: only words that name the same act or thing in
 * any sentence of these domains ("update" is "change", "profile" is not "account").
 */
const rows: readonly string[] = [
  // English
  'change changes changed changing modify modifies modified modifying update updates updated updating edit edits edited editing amend alter',
  'delete deletes deleted deleting remove removes removed removing erase erases erased',
  'cancel cancels cancelled canceled cancelling canceling terminate terminates',
  'contact contacts contacted contacting reach',
  'find finds found finding locate locates',
  'get gets getting receive receives received receiving obtain obtains got',
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
  // German
  'andern aendern bearbeiten aktualisieren anpassen',
  'loschen entfernen',
  'kundigen stornieren',
  'kontaktieren kontaktiere erreichen erreiche',
  'finden finde',
  'bekommen bekomme erhalten erhalte',
  'ruckerstattung erstattung ruckzahlung',
  'versand lieferung versenden liefern verschicken',
  'preis kosten kostet',
  'beschadigt kaputt defekt',
  'zahlungsmethoden zahlungsarten zahlungsmoglichkeiten zahlungsoptionen',
  'rechnung rechnungen',
  // French
  'modifier modifie changer change',
  'supprimer supprime effacer',
  'annuler annule resilier',
  'contacter contacte joindre',
  'trouver trouve',
  'recevoir recois obtenir',
  'remboursement rembourser rembourse',
  'livraison livrer livrez livrez-vous expedition expedier envoi',
  'payer paiement paiements payez',
  'prix cout coute',
  'endommage casse abime defectueux',
  'moyens modes methodes options',
  // Spanish and Portuguese, which share many words: one row each
  'cambiar cambio modificar modifico actualizar actualizo editar alterar altero mudar mudo atualizar',
  'eliminar elimino borrar borro excluir apagar remover deletar',
  'cancelar cancelo anular',
  'contactar contacto comunicarme contatar',
  'encontrar encuentro achar',
  'recibir recibo obtener receber obter',
  'reembolso',
  'envio envios enviar entrega entregas entregar entregam entregan envian',
  'hacen realizan',
  'precio coste costo cuesta preco custo custa',
  'danado roto defectuoso danificado quebrado defeituoso avariado',
  'metodos formas medios meios',
  // Italian
  'cambiare modificare aggiornare',
  'eliminare cancellare rimuovere',
  'annullare disdire',
  'contattare',
  'trovare',
  'ricevere ottenere',
  'rimborso',
  'spedizione spedizioni spedire spedite spediamo consegna consegnare',
  'prezzo costo costa',
  'danneggiato rotto difettoso',
  'metodi modalita',
  'estero',
  // Dutch
  'wijzigen veranderen aanpassen bijwerken',
  'verwijderen wissen',
  'annuleren opzeggen',
  'vinden',
  'krijgen ontvangen',
  'terugbetaling restitutie',
  'verzending verzenden levering leveren bezorging bezorgen',
  'prijs kosten kost',
  'beschadigd kapot defect',
  'betaalmethoden betaalmogelijkheden betaalopties betaalwijzen',
];

/** Word → the first word of its row. A word in two rows keeps the first. */
export const synonymOf: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const row of rows) {
    const [head, ...rest] = row.split(' ');
    for (const word of [head!, ...rest]) if (!map.has(word)) map.set(word, head!);
  }
  return map;
})();
