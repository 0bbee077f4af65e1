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
  // German
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
  // French
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
  // Spanish and Portuguese, which share many words: one row each
  'cambiar cambio modificar modifico actualizar actualizo editar alterar altero mudar mudo atualizar',
  'eliminar elimino borrar borro excluir apagar remover deletar',
  'cancelar cancelo anular',
  'contactar contacto comunicarme contatar hablar falar contactar',
  'encontrar encuentro achar',
  'recibir recibo recibire obtener receber obter llegar llega llegara chegar chega chegara',
  'reembolso',
  'envio envios enviar entrega entregas entregar entregam entregan envian',
  'hacen realizan',
  'tarda tardan demora demoram leva levam',
  'precio coste costo cuesta preco custo custa',
  'danado roto defectuoso danificado quebrado defeituoso avariado',
  'metodos metodo formas forma medios medio meios meio',
  // Italian
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
  // Dutch
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
