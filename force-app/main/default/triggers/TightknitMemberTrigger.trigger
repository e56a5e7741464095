trigger TightknitMemberTrigger on Member__c(before insert, before update) {
    if (Trigger.isInsert) {
        TightknitMemberTriggerHandler.beforeInsert(Trigger.new);
    } else {
        TightknitMemberTriggerHandler.beforeUpdate(Trigger.new, Trigger.oldMap);
    }
}
